/**
 * Failed-login throttling: per username and client together, per client alone (a higher
 * limit), and per username across all clients (a ceiling against distributed guessing).
 * Each counts the failures of a sliding window: those of the last `window` seconds.
 */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';

/** The counters one login attempt touches. */
export interface ThrottleKeys {
  /** Counter that a successful login resets. */
  readonly pair: string | undefined;
  /** Every counter with its limit. */
  readonly limits: ReadonlyArray<{ key: string; max: number }>;
}

/** The counters of a login for `usernameKey` from `client` (undefined when unknown). */
export function throttleKeys(
  ctx: AuthContext,
  usernameKey: string,
  client: string | undefined,
): ThrottleKeys | undefined {
  const rl = ctx.options.rateLimit;
  if (rl === false) return undefined;
  const limits: Array<{ key: string; max: number }> = [
    { key: `login:user:${usernameKey}`, max: rl.perUsernameCeiling },
  ];
  let pair: string | undefined;
  if (client !== undefined) {
    pair = `login:pair:${client}:${usernameKey}`;
    limits.push(
      { key: pair, max: rl.maxAttempts },
      { key: `login:client:${client}`, max: rl.maxAttempts * rl.perClientMultiplier },
    );
  }
  return { pair, limits };
}

/**
 * Throws `rate_limited` with `retryAfter` when any counter is at its limit: as many failures
 * as the limit within the last window. `Retry-After` is when the oldest of them leaves the
 * window, so that one more attempt is allowed.
 * @throws AuthError
 */
export async function assertNotThrottled(
  ctx: AuthContext,
  keys: ThrottleKeys | undefined,
): Promise<void> {
  if (!keys) return;
  const now = ctx.clock.now();
  const windows = await Promise.all(
    keys.limits.map((l) => ctx.storage.rateLimits.peek(l.key, now)),
  );
  let retryAt = 0;
  windows.forEach((w, i) => {
    if (w && w.count >= keys.limits[i]!.max) retryAt = Math.max(retryAt, w.resetAt);
  });
  if (retryAt > 0) throw rateLimited(retryAt, now);
}

function rateLimited(resetAt: number, now: number): AuthError {
  return new AuthError('rate_limited', {
    retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  });
}

/** Counts one failed login on every counter. */
export async function recordFailure(
  ctx: AuthContext,
  keys: ThrottleKeys | undefined,
): Promise<void> {
  if (!keys || ctx.options.rateLimit === false) return;
  const windowMs = ctx.options.rateLimit.window * 1000;
  const now = ctx.clock.now();
  await Promise.all(
    keys.limits.map((l) => ctx.storage.rateLimits.hit(l.key, windowMs, now, l.max)),
  );
}

/** Clears the username-and-client counter after a successful login. */
export async function recordSuccess(
  ctx: AuthContext,
  keys: ThrottleKeys | undefined,
): Promise<void> {
  if (keys?.pair) await ctx.storage.rateLimits.reset(keys.pair);
}
