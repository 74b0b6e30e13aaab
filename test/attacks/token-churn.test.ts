// A redirect to a foreign origin answering 401 must not cost a token: no invalidation, no token request.
import { describe, it } from 'vitest';
import { CHURN_CALLERS, redirectToForeign401 } from './churn-cases.ts';
import { leakGuard } from './support.ts';

leakGuard();

describe('redirect to a foreign origin answering 401', () => {
  it.each(CHURN_CALLERS.map((c) => c.name))(
    '%s: 25 calls, 1 token request, nothing invalidated',
    (name) => redirectToForeign401(name),
  );
});
