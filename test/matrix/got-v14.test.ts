// Matrix: @authwire/got on the oldest supported got (14.2) — the same suite as test/conformance.
import { adapterConformance } from '../conformance/suite/index.ts';
import { GOT_14 } from '../drivers/oldest.ts';

adapterConformance(GOT_14);
