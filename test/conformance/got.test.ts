// Conformance: the whole adapter suite for the got subject of the driver registry (test/drivers).
import { GOT } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(GOT);
