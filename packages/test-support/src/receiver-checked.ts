// A fetch that checks its `this` like Cloudflare's workerd does: called as a method of anything but
// the global object it throws "Illegal invocation", so a test catches `options.fetch(request)`.

/**
 * Wraps `inner` so a call with the wrong `this` throws the TypeError workerd throws. An unbound
 * call (`this` undefined) or one on `globalThis` passes through.
 *
 * @example
 * const fetch = receiverChecked(stubFetch(handler).fetch);
 * await fetch(url); // fine
 * await { fetch }.fetch(url); // TypeError: Illegal invocation
 */
export function receiverChecked<F extends (...args: never[]) => unknown>(inner: F): F {
  return function checked(this: unknown, ...args: Parameters<F>): ReturnType<F> {
    if (this !== undefined && this !== globalThis) {
      throw new TypeError('Illegal invocation: function called with incorrect `this` reference.');
    }
    return inner(...args) as ReturnType<F>;
  } as unknown as F;
}
