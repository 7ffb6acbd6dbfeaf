/**
 * `createAuth(options)`: the flows — register, login, refresh, logout, authenticate,
 * authorize, me — and the Fetch handler, over the storage and clock interfaces.
 */
import { type Clock, systemClock } from './clock.js';
import { type AuthOptions, resolveOptions } from './config.js';
import { type AuthContext, eventEmitter } from './context.js';
import { AuthError } from './errors.js';
import { type UserAdmin, userAdmin } from './flows/admin.js';
import { type LoginContext, login } from './flows/login.js';
import { logout, logoutAll, revokeSession } from './flows/logout.js';
import { type PublicUser, publicUser } from './flows/public-user.js';
import { refresh } from './flows/refresh.js';
import { type RegisterInput, register } from './flows/register.js';
import type { TokenResponse } from './flows/tokens.js';
import { parseBearer } from './http/bearer.js';
import { createHandler, type HandlerContext } from './http/handler.js';
import { createHasher } from './password/hasher.js';
import { withVerifiers } from './password/legacy/with-verifiers.js';
import { createRoleModel, type HasRoles, type Requirement } from './roles/roles.js';
import { type AccessTokenVerifier, createAccessTokenVerifier } from './tokens/access-verify.js';
import { type KeySet, loadKeys } from './tokens/keys.js';
import type { Principal } from './tokens/principal.js';
import { VerifiedTokenCache } from './tokens/verified-cache.js';

/** An auth instance. */
export interface Auth {
  /**
   * Imports the keys and prepares the dummy hash. Optional (everything is also done on
   * first use); call it at start-up to fail fast on a malformed key.
   * @throws AuthConfigError
   */
  ready(): Promise<void>;
  /** Registers a user. @throws AuthError `invalid_request`, `username_taken` */
  register(input: RegisterInput): Promise<PublicUser>;
  /** Logs in. @throws AuthError `invalid_request`, `invalid_credentials`, `rate_limited` */
  login(input: { username: string; password: string }, from?: LoginContext): Promise<TokenResponse>;
  /** Rotates a refresh token. @throws AuthError `invalid_grant` */
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Revokes the session of a refresh token; unknown tokens are ignored. */
  logout(refreshToken: string): Promise<void>;
  /** Revokes every session of a user; resolves how many. */
  logoutAll(userId: string): Promise<number>;
  /**
   * Verifies an `Authorization` header value: the hot path (no storage access).
   * @throws AuthError `unauthorized` (no credentials), `invalid_token`, `token_expired`
   */
  authenticate(authorization: string | null | undefined): Promise<Principal>;
  /** Verifies a bare access token. @throws AuthError `invalid_token`, `token_expired` */
  verifyAccessToken(token: string): Promise<Principal>;
  /** Throws `insufficient_scope` unless the holder meets the requirement. */
  authorize(holder: HasRoles, requirement: Requirement): void;
  /** True when the holder has `role`, directly or inherited. */
  hasRole(holder: HasRoles, role: string): boolean;
  /** True when the holder's roles grant `permission`. */
  can(holder: HasRoles, permission: string): boolean;
  /** The current user of a principal, read from storage. @throws AuthError `invalid_token` */
  me(principal: Principal): Promise<PublicUser>;
  /** The public JWK Set (empty for HS256). */
  jwks(): Promise<{ keys: object[] }>;
  /** Serves the auth routes and the JWKS route. */
  handler(request: Request, context?: HandlerContext): Promise<Response>;
  /** True when `pathname` is one of the routes `handler` serves. */
  handles(pathname: string): boolean;
  /** Where `handler`'s routes live: the `basePath` and `jwksPath` options. */
  readonly paths: { readonly base: string; readonly jwks: string };
  /** User administration for the application's own code. */
  readonly users: UserAdmin;
  /** The clock this instance reads. */
  readonly clock: Clock;
  /** The realm of its challenges. */
  readonly realm: string;
}

/**
 * Creates an auth instance.
 * @throws AuthConfigError naming the first invalid option
 * @example
 * ```ts
 * const auth = createAuth({
 *   issuer: 'urn:my-app', audience: 'urn:my-api',
 *   keys: { alg: 'HS256', secret: process.env.AUTH_SECRET! },
 *   storage: memoryStorage(),
 * });
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const resolved = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  const roles = createRoleModel(options.roles);
  const hasher = withVerifiers(
    options.password?.hasher ?? createHasher(),
    options.password?.verifiers ?? [],
  );
  const cache =
    resolved.tokenCacheSize > 0 ? new VerifiedTokenCache(resolved.tokenCacheSize) : undefined;

  let keySet: Promise<KeySet> | undefined;
  let verifier: AccessTokenVerifier | undefined;
  const keys = (): Promise<KeySet> => {
    keySet ??= loadKeys(resolved.keys);
    return keySet;
  };
  const verifySettings = {
    issuer: resolved.issuer,
    audience: resolved.audience,
    clockTolerance: resolved.clockTolerance,
  };
  const verifyAccessToken: AccessTokenVerifier = (token) => {
    if (verifier) return verifier(token);
    return keys().then((k) => {
      verifier ??= createAccessTokenVerifier(k, clock, verifySettings, cache);
      return verifier(token);
    });
  };
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    dummy ??= hasher.hash(crypto.randomUUID());
    return dummy;
  };

  const ctx: AuthContext = {
    options: resolved,
    storage: options.storage,
    clock,
    hasher,
    roles,
    keys,
    verifyAccessToken,
    dummyHash,
    emit: eventEmitter(options.onEvent),
  };

  const authenticate = (authorization: string | null | undefined): Promise<Principal> => {
    let token: string | null;
    try {
      token = parseBearer(authorization);
    } catch (error) {
      return Promise.reject(error);
    }
    if (token === null) return Promise.reject(new AuthError('unauthorized'));
    return verifyAccessToken(token);
  };
  const jwks = async () => ({
    keys: (await keys()).all.flatMap((k) => (k.publicJwk ? [k.publicJwk] : [])),
  });

  const flows = {
    register: (input: unknown) => register(ctx, input),
    login: (input: unknown, from: LoginContext = {}) => login(ctx, input, from),
    refresh: (token: string) => refresh(ctx, token),
    logout: (token: string) => logout(ctx, token),
    logoutAll: (userId: string) => logoutAll(ctx, userId),
    revokeSession: (userId: string, sessionId: string) => revokeSession(ctx, userId, sessionId),
    authenticate,
    me: async (principal: Principal): Promise<PublicUser> => {
      const user = await ctx.storage.users.findUserById(principal.userId);
      if (!user || user.disabled) {
        throw new AuthError('invalid_token', {
          description: 'the user no longer exists or is disabled',
        });
      }
      return publicUser(user);
    },
    jwks,
  };
  const { handler, handles } = createHandler(ctx, flows);

  return {
    async ready() {
      const k = await keys();
      verifier ??= createAccessTokenVerifier(k, clock, verifySettings, cache);
      await dummyHash();
    },
    ...flows,
    verifyAccessToken,
    authorize: roles.authorize,
    hasRole: roles.hasRole,
    can: roles.can,
    handler,
    handles,
    paths: { base: resolved.basePath, jwks: resolved.jwksPath },
    users: userAdmin(ctx),
    clock,
    realm: resolved.realm,
  };
}
