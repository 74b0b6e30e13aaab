// The sibling packages the fleet tests drive, imported by path until package.json lists them.
// @authwire/redis has no devDependencies on @authwire/axios, @authwire/msw, @authwire/norce or
// axios, so bare specifiers do not resolve from here. Each sibling's own imports still resolve
// from its own node_modules, and @authwire/core is the same module (pnpm symlinks, realpath).
// Once the devDependencies exist, this file becomes four bare re-exports.
export { default as axios } from '../../../axios/node_modules/axios/index.js';
export { withAuth } from '../../../axios/src/index.ts';
export type { ServedMock } from '../../../msw/src/index.ts';
export { NORCE_MOCK_DEFAULTS, type NorceMock, norceMock, serveMock } from '../../../msw/src/index.ts';
export { type NorceOptions, norce, norceProvider } from '../../../norce/src/index.ts';
