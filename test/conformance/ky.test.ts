// Conformance: the whole adapter suite for the ky subject of the driver registry (test/drivers).
import { KY } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(KY);
