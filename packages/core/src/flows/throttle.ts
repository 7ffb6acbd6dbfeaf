/**
 * Failed-login throttling: per username and client together (the HTTP contract's limit),
 * and, opted into, per client alone and per username across all clients. Each counts the
 * failures of a sliding window: those of the last `window` seconds. An attempt takes its
 * place on every counter before its password is checked, atomically in the store, and gives
 * it back unless it fails.
 */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';

/** Per-username limit of a login whose client is unknown, as a multiple of `maxAttempts`. */
const UNKNOWN_CLIENT_MULTIPLIER = 20;

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
  const userKey = `login:user:${usernameKey}`;
  if (client === undefined) {
    // No client to count by: the username alone, at the ceiling (opted into, or 20× the limit).
    const max = rl.perUsernameCeiling ?? rl.maxAttempts * UNKNOWN_CLIENT_MULTIPLIER;
    return { pair: undefined, limits: [{ key: userKey, max }] };
  }
  const limits: Array<{ key: string; max: number }> = [];
  if (rl.perUsernameCeiling !== undefined) {
    limits.push({ key: userKey, max: rl.perUsernameCeiling });
  }
  const pair = `login:pair:${client}:${usernameKey}`;
  limits.push({ key: pair, max: rl.maxAttempts });
  if (rl.perClientMultiplier !== undefined) {
    limits.push({ key: `login:client:${client}`, max: rl.maxAttempts * rl.perClientMultiplier });
  }
  return { pair, limits };
}

/** The places a login attempt took on its counters: one hit each, counted before hashing. */
export interface ThrottlePlaces {
  readonly keys: ThrottleKeys;
  /** When each taken hit stops counting, by key. */
  readonly taken: ReadonlyArray<{ key: string; expiresAt: number }>;
}

/**
 * Takes one place on every counter, as a failure that the outcome may take back: an attempt
 * counts from before its password is checked, so that no burst, from one process or from
 * several sharing the store, gets more attempts checked than a limit allows. Throws
 * `rate_limited` with `retryAfter` (when the oldest counted failure leaves the window)
 * when a counter is full, having given back the places it took.
 * @throws AuthError
 */
export async function takePlaces(
  ctx: AuthContext,
  keys: ThrottleKeys | undefined,
): Promise<ThrottlePlaces | undefined> {
  const rl = ctx.options.rateLimit;
  if (!keys || rl === false) return undefined;
  const windowMs = rl.window * 1000;
  const now = ctx.clock.now();
  const taken: Array<{ key: string; expiresAt: number }> = [];
  for (const { key, max } of keys.limits) {
    let result: Awaited<ReturnType<typeof ctx.storage.rateLimits.take>>;
    try {
      result = await ctx.storage.rateLimits.take(key, windowMs, now, max);
    } catch (error) {
      await giveBack(ctx, taken);
      throw error;
    }
    if (!result.taken) {
      await giveBack(ctx, taken);
      throw rateLimited(result.resetAt, now);
    }
    taken.push({ key, expiresAt: now + windowMs });
  }
  return { keys, taken };
}

function rateLimited(resetAt: number, now: number): AuthError {
  return new AuthError('rate_limited', {
    retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  });
}

/** Gives back places that turned out not to be failures. */
async function giveBack(
  ctx: AuthContext,
  places: ReadonlyArray<{ key: string; expiresAt: number }>,
): Promise<void> {
  await Promise.all(places.map((p) => ctx.storage.rateLimits.release(p.key, p.expiresAt)));
}

/**
 * A successful login: clears the username-and-client counter and gives back its places on
 * the others (only failures count there).
 */
export async function recordSuccess(
  ctx: AuthContext,
  places: ThrottlePlaces | undefined,
): Promise<void> {
  if (!places) return;
  const { pair } = places.keys;
  await Promise.all([
    pair ? ctx.storage.rateLimits.reset(pair) : undefined,
    giveBack(
      ctx,
      places.taken.filter((p) => p.key !== pair),
    ),
  ]);
}

/** An attempt that ended neither way (an error of the store or the hasher): not a failure. */
export async function cancelAttempt(
  ctx: AuthContext,
  places: ThrottlePlaces | undefined,
): Promise<void> {
  if (places) await giveBack(ctx, places.taken);
}
