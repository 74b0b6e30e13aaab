// Conformance: the whole adapter suite for axios on its fetch adapter (test/drivers).
import { AXIOS_FETCH } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(AXIOS_FETCH);
