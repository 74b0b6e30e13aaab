// Matrix: @authwire/ky on the oldest supported ky (1.7) — the same suite as test/conformance.
import { adapterConformance } from '../conformance/suite/index.ts';
import { KY_1_7 } from '../drivers/oldest.ts';

adapterConformance(KY_1_7);
