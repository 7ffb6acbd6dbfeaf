/**
 * Refresh-token rotation (RFC 9700 §4.14): spend the presented token atomically and issue its
 * successor. The last rotated token of a family presented again within the grace window,
 * while its successor is unused, is a benign retry: it supersedes the family's live token
 * (never forking it; a superseded token is dead, answered like an expired one, and presented
 * after the window it is theft too). Any other spent token presented again — after the
 * window, or once the family has moved on — is theft, and the whole family is revoked.
 */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { RefreshTokenRecord } from '../storage/types.js';
import { hashRefreshToken, isRefreshTokenShape, newRefreshToken } from '../tokens/refresh-token.js';
import { type TokenResponse, tokenResponse } from './tokens.js';

const invalidGrant = () => new AuthError('invalid_grant');

async function finish(
  ctx: AuthContext,
  record: RefreshTokenRecord,
  token: string,
  retry: boolean,
): Promise<TokenResponse> {
  const user = await ctx.storage.users.findUserById(record.userId);
  if (!user || user.disabled) {
    await ctx.storage.sessions.revokeFamily(record.familyId, ctx.clock.now());
    throw invalidGrant();
  }
  ctx.emit({
    type: 'refresh',
    at: ctx.clock.now(),
    userId: user.id,
    sessionId: record.familyId,
    retry,
  });
  return tokenResponse(ctx, user, record.familyId, token);
}

/**
 * Rotates a refresh token.
 * @throws AuthError `invalid_grant` for an unknown, malformed, expired, revoked or reused token
 */
export async function refresh(ctx: AuthContext, presented: string): Promise<TokenResponse> {
  if (typeof presented !== 'string' || !isRefreshTokenShape(presented)) throw invalidGrant();
  const now = ctx.clock.now();
  const next = newRefreshToken();
  const nextRecord = { tokenHash: next.hash, expiresAt: now + ctx.options.refreshTokenTtl * 1000 };
  const result = await ctx.storage.sessions.spendToken(
    hashRefreshToken(presented),
    nextRecord,
    now,
  );
  if (result.status === 'rotated') return finish(ctx, result.token, next.token, false);
  const graceMs = ctx.options.refreshReuseGrace * 1000;
  if (result.status === 'expired' && isSuperseded(result.token)) {
    // Within the window it lost a race of retries; after it, its holder kept using a lineage
    // that a replay of its parent took over: two parties hold the family (RFC 9700 §4.14.2).
    if (now - result.token.expiresAt > graceMs) await revokeStolen(ctx, result.token, now);
    throw invalidGrant();
  }
  if (result.status !== 'spent') throw invalidGrant();
  const spent = result.token;
  const inGrace = graceMs > 0 && spent.spentAt !== null && now - spent.spentAt <= graceMs;
  // A retry only while the successor is unused; once the family has moved on, it is theft.
  if (inGrace && (await ctx.storage.sessions.retryToken(spent.tokenHash, nextRecord, now))) {
    return finish(ctx, spent, next.token, true);
  }
  await revokeStolen(ctx, spent, now);
  throw invalidGrant();
}

/** A token superseded by a retry of its parent: stored spent and expired at that moment. */
function isSuperseded(token: RefreshTokenRecord): boolean {
  return token.spentAt !== null && token.spentAt === token.expiresAt;
}

/** Revokes the family of a reused token, telling `onEvent` once. */
async function revokeStolen(ctx: AuthContext, token: RefreshTokenRecord, now: number) {
  if (await ctx.storage.sessions.revokeFamily(token.familyId, now)) {
    ctx.emit({
      type: 'refresh_reuse_detected',
      at: now,
      userId: token.userId,
      sessionId: token.familyId,
    });
  }
}
