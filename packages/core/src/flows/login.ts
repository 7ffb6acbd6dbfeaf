/**
 * Login: throttle, look up, verify (a dummy hash for unknown users, so both cost the same),
 * upgrade old hashes, and open a session (a new refresh-token family).
 */
import type { AuthContext } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import type { LoginFailureReason } from '../events.js';
import { randomId } from '../random.js';
import { loginSchema } from '../schemas.js';
import type { UserRecord } from '../storage/types.js';
import { newRefreshToken } from '../tokens/refresh-token.js';
import { usernameKey } from '../username.js';
import { validate } from '../validate.js';
import {
  cancelAttempt,
  recordSuccess,
  type ThrottleKeys,
  type ThrottlePlaces,
  takePlaces,
  throttleKeys,
} from './throttle.js';
import { type TokenResponse, tokenResponse } from './tokens.js';

/** Where a login comes from. */
export interface LoginContext {
  /** The client's address, as resolved by the adapter; counters are kept per client. */
  clientAddress?: string | undefined;
}

async function checkPassword(
  ctx: AuthContext,
  user: UserRecord | null,
  password: string,
): Promise<LoginFailureReason | null> {
  if (!user) {
    await ctx.hasher.verify(await ctx.dummyHash(), password).catch(() => false);
    return 'unknown_user';
  }
  let ok: boolean;
  try {
    ok = await ctx.hasher.verify(user.passwordHash, password);
  } catch (error) {
    if (isAuthError(error) && error.code === 'unsupported_hash') return 'unsupported_hash';
    throw error;
  }
  if (!ok) return 'wrong_password';
  return user.disabled ? 'disabled' : null;
}

/** Opens a session for a verified user. */
export async function openSession(
  ctx: AuthContext,
  user: UserRecord,
): Promise<{ sessionId: string; tokens: TokenResponse }> {
  const now = ctx.clock.now();
  const sessionId = randomId();
  const refresh = newRefreshToken();
  await ctx.storage.sessions.createFamily(
    { id: sessionId, userId: user.id, createdAt: now },
    { tokenHash: refresh.hash, expiresAt: now + ctx.options.refreshTokenTtl * 1000 },
  );
  return { sessionId, tokens: await tokenResponse(ctx, user, sessionId, refresh.token) };
}

/**
 * Logs a user in.
 * @throws AuthError `invalid_request`, `invalid_credentials`, `rate_limited`
 */
export async function login(
  ctx: AuthContext,
  input: unknown,
  from: LoginContext = {},
): Promise<TokenResponse> {
  const { username, password } = validate(loginSchema(ctx.options.maxPasswordLength), input);
  const key = usernameKey(username);
  const client = from.clientAddress || undefined;
  const throttle = throttleKeys(ctx, key, client);
  // Logins for one username from one client in this process take turns, so that a burst of
  // them is answered one by one (right passwords all get in) rather than refused for the
  // places its own attempts hold; the places are what holds the limits across processes.
  const done = throttle?.pair ? await ctx.loginTurns.take(throttle.pair) : undefined;
  try {
    const places = await checkThrottle(ctx, throttle, key, client);
    const attempt = { places, settled: false };
    try {
      return await verifiedLogin(ctx, key, password, attempt, client);
    } catch (error) {
      if (!attempt.settled) await cancelAttempt(ctx, places);
      throw error;
    }
  } finally {
    done?.();
  }
}

/**
 * Takes the attempt's places on the counters; throws `rate_limited` (and says so in an
 * event) when a counter is full.
 */
async function checkThrottle(
  ctx: AuthContext,
  throttle: ThrottleKeys | undefined,
  key: string,
  client: string | undefined,
): Promise<ThrottlePlaces | undefined> {
  try {
    return await takePlaces(ctx, throttle);
  } catch (error) {
    if (isAuthError(error) && error.code === 'rate_limited') {
      ctx.emit({
        type: 'login_failure',
        at: ctx.clock.now(),
        username: key,
        reason: 'rate_limited',
        client,
      });
    }
    throw error;
  }
}

/** Checks the password of a login that may proceed, counts the outcome, opens the session. */
async function verifiedLogin(
  ctx: AuthContext,
  key: string,
  password: string,
  attempt: { places: ThrottlePlaces | undefined; settled: boolean },
  client: string | undefined,
): Promise<TokenResponse> {
  const user = await ctx.storage.users.findUserByUsername(key);
  const failure = await checkPassword(ctx, user, password);
  // The counters are settled either way (a failure keeps its places, a success gives them
  // back); should giving back fail, they stay counted: failing closed.
  attempt.settled = true;
  if (failure || !user) {
    ctx.emit({
      type: 'login_failure',
      at: ctx.clock.now(),
      username: key,
      reason: failure ?? 'unknown_user',
      ...(user ? { userId: user.id } : {}),
      client,
    });
    throw new AuthError('invalid_credentials');
  }
  await recordSuccess(ctx, attempt.places);
  let current = user;
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    const passwordHash = await ctx.hasher.hash(password);
    current =
      (await ctx.storage.users.updateUser(user.id, { passwordHash }, ctx.clock.now())) ?? user;
    ctx.emit({ type: 'password_rehashed', at: ctx.clock.now(), userId: user.id });
  }
  const { sessionId, tokens } = await openSession(ctx, current);
  ctx.emit({ type: 'login_success', at: ctx.clock.now(), userId: user.id, sessionId, client });
  return tokens;
}
