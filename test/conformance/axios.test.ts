// Conformance: the whole adapter suite for the axios subject of the driver registry (test/drivers).
import { AXIOS } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(AXIOS);
