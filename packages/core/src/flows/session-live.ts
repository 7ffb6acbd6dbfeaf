/** Whether the session an access token was issued in is still live (browser cookie sessions). */
import type { AuthContext } from '../context.js';
import type { Principal } from '../tokens/principal.js';

/**
 * True while the session (`sid`) of `principal` is live: its family exists, is the
 * principal's and has not been revoked (logout, logout-all, reuse detection). A principal
 * without a session has none that could end. One storage read.
 */
export async function isSessionLive(ctx: AuthContext, principal: Principal): Promise<boolean> {
  if (principal.sessionId === undefined) return true;
  const family = await ctx.storage.sessions.findFamily(principal.sessionId);
  return family !== null && family.userId === principal.userId && family.revokedAt === null;
}
