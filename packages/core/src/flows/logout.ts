/** Logout: revoke one session (family) or every session of a user. */
import type { AuthContext } from '../context.js';
import { hashRefreshToken, isRefreshTokenShape } from '../tokens/refresh-token.js';

/** Revokes the family of `refreshToken`; silently does nothing for an unknown token. */
export async function logout(ctx: AuthContext, refreshToken: string): Promise<void> {
  if (typeof refreshToken !== 'string' || !isRefreshTokenShape(refreshToken)) return;
  const record = await ctx.storage.sessions.findToken(hashRefreshToken(refreshToken));
  if (!record) return;
  await revokeSession(ctx, record.userId, record.familyId);
}

/** Revokes one session of a user; resolves whether a live one was revoked. */
export async function revokeSession(
  ctx: AuthContext,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const family = await ctx.storage.sessions.findFamily(sessionId);
  if (!family || family.userId !== userId) return false;
  const now = ctx.clock.now();
  const revoked = await ctx.storage.sessions.revokeFamily(sessionId, now);
  if (revoked) ctx.emit({ type: 'logout', at: now, userId, sessionId });
  return revoked;
}

/** Revokes every session of `userId`; resolves how many were revoked. */
export async function logoutAll(ctx: AuthContext, userId: string): Promise<number> {
  const now = ctx.clock.now();
  const sessions = await ctx.storage.sessions.revokeUserFamilies(userId, now);
  ctx.emit({ type: 'logout_all', at: now, userId, sessions });
  return sessions;
}
