// Matrix: @authwire/undici on the oldest supported undici (7) — the same suite as test/conformance.
import { adapterConformance } from '../conformance/suite/index.ts';
import { UNDICI_7 } from '../drivers/oldest.ts';

adapterConformance(UNDICI_7);
