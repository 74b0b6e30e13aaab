// Matrix: @authwire/openapi-fetch on the oldest supported openapi-fetch (0.13) — the same suite as test/conformance.
import { adapterConformance } from '../conformance/suite/index.ts';
import { OPENAPI_FETCH_0_13 } from '../drivers/oldest.ts';

adapterConformance(OPENAPI_FETCH_0_13);
