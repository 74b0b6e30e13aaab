// The adapter conformance suite, in keyv's shape: one call per subject runs every behaviour file
// against every provider mock; a subject's capability flags switch groups (or branches) off.
import { describe } from 'vitest';
import { ALL_PLATFORMS } from '../../drivers/platforms.ts';
import { capabilitiesOf, type Subject } from '../../drivers/types.ts';
import { abortBehaviour } from './abort.ts';
import { argumentsBehaviour } from './arguments.ts';
import { bodiesBehaviour } from './bodies.ts';
import { concurrencyBehaviour } from './concurrency.ts';
import { conformanceServer, platformContext } from './context.ts';
import { failuresBehaviour } from './failures.ts';
import { optOutBehaviour, originsBehaviour } from './origins.ts';
import { redactionBehaviour } from './redaction.ts';
import { unauthorizedBehaviour } from './unauthorized.ts';

/**
 * Runs every scenario for one subject against every provider mock (Norce, Oracle Commerce).
 *
 * @example
 * ```ts
 * adapterConformance(KY); // test/conformance/ky.test.ts
 * ```
 */
export function adapterConformance(subject: Subject): void {
  const capabilities = capabilitiesOf(subject);
  const server = conformanceServer();
  describe.each(ALL_PLATFORMS)(`${subject.name} × $name`, (kind) => {
    const ctx = platformContext(server, kind, subject, capabilities);
    if (capabilities.checksManager) argumentsBehaviour(ctx);
    concurrencyBehaviour(ctx);
    if (capabilities.heals401) unauthorizedBehaviour(ctx);
    if (capabilities.heals401) bodiesBehaviour(ctx);
    abortBehaviour(ctx);
    originsBehaviour(ctx);
    if (capabilities.optOut) optOutBehaviour(ctx);
    failuresBehaviour(ctx);
    redactionBehaviour(ctx);
  });
}
