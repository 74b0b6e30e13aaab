// Conformance: the whole adapter suite for the openapi-fetch subject of the driver registry (test/drivers).
import { OPENAPI_FETCH } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(OPENAPI_FETCH);
