// Type-checked with tsconfig.msw.json: a Node test project as MSW 3 needs it (its own typings
// use DOM types such as MessageEvent and RequestInfo, so the DOM lib is on), every .d.ts checked.
import { manualClock, norceMock, oracleCommerceMock, serveMock } from '@authwire/msw';
import { setupServer } from 'msw/node';

const server = setupServer(...norceMock().handlers, ...oracleCommerceMock().handlers);
export const used = [server, manualClock, serveMock];
