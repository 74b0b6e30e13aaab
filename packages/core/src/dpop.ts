// @authwire/core/dpop: DPoP (RFC 9449), sender-constrained tokens, as the value of the manager's
// `dpop` option. Apart from the root so that an application that does not import it bundles none
// of it: the manager calls the value's `bindProvider` and imports nothing of DPoP.

export type { DpopKeyPair, DpopSettings } from './dpop/dpop-option.ts';
export { dpop } from './dpop/dpop-option.ts';
export type { DpopBinding, DpopOption } from './manager/manager-types.ts';
