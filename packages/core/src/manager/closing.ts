// What closing a manager does beyond itself, in order, each step bounded: the key released, its cancelled load unwound, a token that dies with the manager deleted or revoked.
import { ClosedError } from '../errors/errors.ts';
import { CLOSE_BOUND_MS } from '../options/settings.ts';
import { loadParts, storeAccess } from '../store/token-loader.ts';
import { releaseEntry } from './key-registry.ts';
import type { DpopBinding } from './manager-types.ts';
import { within } from './waiting.ts';

type Closing = Parameters<typeof loadParts>[0] & {
  /** Call the provider's `revoke` for the token in service (`revokeOnClose`). */
  readonly revoke: boolean;
  /** A DPoP key made for this manager (`ephemeral`) leaves a token of no use to anyone after it. */
  readonly dpop: Pick<DpopBinding, 'ephemeral'> | undefined;
};

/** Releases the manager's hold on its key; the last manager cancels the key's work and cleans up. */
export async function closeKey(closing: Closing): Promise<void> {
  const { entry, provider, store } = closing;
  // The token to revoke, dropped before the release so the shared store's closed keys don't keep it.
  const revoking = closing.revoke && provider.revoke ? entry.token : undefined;
  if (revoking) entry.drop(revoking);
  if (releaseEntry(store, provider.key, entry, new ClosedError())) {
    // Let the aborted fetch unwind so no timer outlives close(); bounded all the same.
    await within(CLOSE_BOUND_MS, entry.inflight);
    const left = closing.dpop?.ephemeral ? entry.token : undefined;
    if (left) await within(CLOSE_BOUND_MS, storeAccess(closing).delete(left));
  }
  if (revoking) await within(CLOSE_BOUND_MS, loadParts(closing).revoke(revoking));
}
