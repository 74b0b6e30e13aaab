// Matrix: @authwire/axios on the oldest supported axios (1.7.x) — the same suite as test/conformance.
import { adapterConformance } from '../conformance/suite/index.ts';
import { AXIOS_1_7 } from '../drivers/oldest.ts';

adapterConformance(AXIOS_1_7);
