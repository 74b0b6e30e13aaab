// @authwire/test-support: helpers the packages' own tests share (private, imported from src/).

export type { Answer, FakeContext } from './fake-context.ts';
export { fakeContext, form, token } from './fake-context.ts';
export {
  closedPort,
  hungServer,
  resettingServer,
  selfSignedServer,
  UNRESOLVABLE_HOST,
} from './network-faults.ts';
export { receiverChecked } from './receiver-checked.ts';
export type { Handler } from './serve.ts';
export { serve, serveRedirectAway } from './serve.ts';
export { runUntilSettled, settle } from './settle.ts';
export type { SeenRequest, StubFetch } from './stub-fetch.ts';
export { json, stubFetch } from './stub-fetch.ts';
export type { StubManagerOptions } from './stub-manager.ts';
export { stubManager } from './stub-manager.ts';
export { thrown } from './thrown.ts';
export { useMsw } from './use-msw.ts';
