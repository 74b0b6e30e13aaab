// Conformance: the whole adapter suite for the undici subject of the driver registry (test/drivers).
import { UNDICI } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(UNDICI);
