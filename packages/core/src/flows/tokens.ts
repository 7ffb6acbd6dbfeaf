/** Builds the token response of a login or a refresh. */
import type { AuthContext } from '../context.js';
import type { UserRecord } from '../storage/types.js';
import { signAccessToken } from '../tokens/access-sign.js';

/** The RFC 6749 §5.1 token response. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  /** Access-token lifetime, seconds. */
  readonly expires_in: number;
  readonly refresh_token: string;
}

/** Signs an access token for `user` in session `sessionId` and pairs it with `refreshToken`. */
export async function tokenResponse(
  ctx: AuthContext,
  user: UserRecord,
  sessionId: string,
  refreshToken: string,
): Promise<TokenResponse> {
  const { options } = ctx;
  const access = await signAccessToken(
    await ctx.keys(),
    ctx.clock,
    { issuer: options.issuer, audience: options.audience, ttl: options.accessTokenTtl },
    { userId: user.id, roles: user.roles, sessionId },
  );
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: options.accessTokenTtl,
    refresh_token: refreshToken,
  };
}
