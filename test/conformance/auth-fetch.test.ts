// Conformance: the whole adapter suite for the auth-fetch subject of the driver registry (test/drivers).
import { AUTH_FETCH } from '../drivers/index.ts';
import { adapterConformance } from './suite/index.ts';

adapterConformance(AUTH_FETCH);
