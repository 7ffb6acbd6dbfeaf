/**
 * `createAuth(options)`: the flows — register, login, refresh, logout, authenticate,
 * authorize, me — and the Fetch handler, over the storage and clock interfaces.
 */
import { type Clock, systemClock } from './clock.js';
import { type AuthOptions, resolveOptions } from './config.js';
import { type AuthContext, eventEmitter } from './context.js';
import { AuthConfigError, AuthError } from './errors.js';
import { type UserAdmin, userAdmin } from './flows/admin.js';
import { type LoginContext, login } from './flows/login.js';
import { logout, logoutAll, revokeSession } from './flows/logout.js';
import { type PublicUser, publicUser } from './flows/public-user.js';
import { refresh } from './flows/refresh.js';
import { type RegisterInput, register } from './flows/register.js';
import type { TokenResponse } from './flows/tokens.js';
import { keyedTurns } from './flows/turns.js';
import { bearerCredentials, isBearerScheme } from './http/bearer.js';
import { prefersHtml } from './http/browser/negotiate.js';
import { type ErrorFacts, negotiatedErrorParts } from './http/browser/respond.js';
import { loginLocation } from './http/browser/return-path.js';
import {
  bearerAuthentication,
  type RequestAuthentication,
  type RequestFacts,
} from './http/browser/session.js';
import { openApiDocument } from './http/docs/routes.js';
import type { OpenApiDocument } from './http/docs/types.js';
import { createHandler, type HandlerContext } from './http/handler.js';
import { errorReporter } from './http/report-error.js';
import { type ErrorParts, errorParts as jsonErrorParts } from './http/respond.js';
import { createHasher } from './password/hasher.js';
import { withVerifiers } from './password/legacy/with-verifiers.js';
import { createRoleModel, type HasRoles, type Requirement } from './roles/roles.js';
import {
  type AccessTokenVerifier,
  type AccessTokenVerifiers,
  createAccessTokenVerifiers,
} from './tokens/access-verify.js';
import { type KeySet, loadKeys } from './tokens/keys.js';
import type { Principal } from './tokens/principal.js';
import { pureSignatureChecks, type SignatureChecks } from './tokens/signature.js';
import { VerifiedTokenCache } from './tokens/verified-cache.js';

/** Where an instance's routes live. */
export interface AuthPaths {
  /** The `basePath` option, e.g. `/auth`. */
  readonly base: string;
  /** The JWKS route. */
  readonly jwks: string;
  /** Browser mode: the login page (`{base}/login`). */
  readonly login?: string | undefined;
  /** Browser mode: the home path (served by the handler when `browser.homePage` is on). */
  readonly home?: string | undefined;
  /** Docs: the OpenAPI document. */
  readonly openapi?: string | undefined;
  /** Docs: the docs page. */
  readonly docs?: string | undefined;
}

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
  /**
   * `authenticate` without the promise, for a middleware's hot path: the principal, or the
   * same `AuthError` thrown synchronously, whenever the answer needs no waiting — a token
   * in the verified-token cache, or any token once the keys are imported and verify
   * synchronously (HS256 everywhere; EdDSA and ES256 too under Node). `undefined` means
   * "not decided here": await `authenticate` instead (keys not imported yet — `ready()`
   * imports them —, or a cache miss for a key only WebCrypto verifies), or in browser mode,
   * for a request without a bearer `Authorization` header, `authenticateRequest` (its session
   * cookies). It never means "refused".
   * @throws AuthError `unauthorized` (no credentials), `invalid_token`, `token_expired`
   * @example
   * ```ts
   * const principal = auth.authenticateSync(header) ?? (await auth.authenticate(header));
   * ```
   */
  authenticateSync(authorization: string | null | undefined): Principal | undefined;
  /** Verifies a bare access token. @throws AuthError `invalid_token`, `token_expired` */
  verifyAccessToken(token: string): Promise<Principal>;
  /**
   * True when `principal` came from this instance's own verification. A guard that finds a
   * principal already on the request (set by an earlier guard) reuses it only then: one set
   * by another instance, whose issuer and keys may differ, is verified again.
   * @example
   * ```ts
   * const principal = req.auth && auth.verified(req.auth) ? req.auth : await auth.authenticate(header);
   * ```
   */
  verified(principal: Principal): boolean;
  /**
   * Throws `insufficient_scope` unless the holder meets the requirement; a requirement that
   * names a role or permission the `roles` option does not define throws `AuthConfigError`.
   * @throws AuthError `insufficient_scope`
   * @throws AuthConfigError
   */
  authorize(holder: HasRoles, requirement: Requirement): void;
  /**
   * Throws unless every role and permission the requirement names is defined by the `roles`
   * option (role names are free-form without one). The adapters' guards call it when they
   * are created, so that a mistyped role fails at start-up, not as a 403 for everyone.
   * @throws AuthConfigError naming the unknown role or permission
   * @example
   * ```ts
   * auth.checkRequirement({ role: 'admin' });
   * ```
   */
  checkRequirement(requirement: Requirement): void;
  /** True when the holder has `role`, directly or inherited. */
  hasRole(holder: HasRoles, role: string): boolean;
  /** True when the holder's roles grant `permission`. */
  can(holder: HasRoles, permission: string): boolean;
  /** The current user of a principal, read from storage. @throws AuthError `invalid_token` */
  me(principal: Principal): Promise<PublicUser>;
  /** The public JWK Set (empty for HS256). */
  jwks(): Promise<{ keys: object[] }>;
  /**
   * Serves the auth routes and the JWKS route; in browser mode also the pages (login,
   * registration, the home page when enabled, their stylesheet), with docs also the OpenAPI
   * document, the docs page and its files.
   */
  handler(request: Request, context?: HandlerContext): Promise<Response>;
  /** True when `pathname` is one of the routes `handler` serves (any method, any `Accept`). */
  handles(pathname: string): boolean;
  /**
   * Every path `handler` serves, exactly (the docs page's assets live under its path): an
   * adapter mounted under a prefix checks that none falls outside it.
   */
  readonly routePaths: readonly string[];
  /**
   * Where `handler`'s routes live: the `basePath` and `jwksPath` options; in browser mode the
   * login page and the home path; with docs the document and the page.
   */
  readonly paths: AuthPaths;
  /** True when browser mode (cookie sessions, pages) is on. */
  readonly browserMode: boolean;
  /**
   * Authenticates a request to one of the app's own routes from its plain header strings (no
   * `Request` needed). A non-empty `authorization` is used exactly as `authenticate` does and
   * cookies are ignored. Otherwise, in browser mode, the session cookies: the access cookie
   * is verified and its session looked up in storage (one read: a session ended by logout,
   * logout-all or reuse detection is refused at once, `invalid_token`); an expired one is
   * replaced through the refresh cookie (rotation and reuse detection as for bearer
   * clients), and the new cookies are in `setCookie`; `headers` holds
   * what a successful response must carry (those cookies and `Cache-Control: no-store`). An
   * unsafe method (anything but GET, HEAD, OPTIONS) authenticated by cookie must come from
   * this origin (`Sec-Fetch-Site: same-origin` and an `Origin` equal
   * to this server's or a trusted one, where present) and carry the CSRF token
   * (`csrfToken`: the `X-CSRF-Token` header or a form's `csrf_token`) — checked before
   * anything else happens.
   * @throws AuthError `unauthorized` (no credentials), `invalid_token`, `token_expired`,
   *   `forbidden` (cross-site or without the CSRF token)
   */
  authenticateRequest(facts: RequestFacts): Promise<RequestAuthentication>;
  /** True when an `Accept` header prefers HTML over JSON (a browser). */
  prefersHtml(accept: string | null | undefined): boolean;
  /**
   * The login page's address with a return path, e.g. `/auth/login?next=/orders`; a return
   * path that is not a same-site relative path is dropped.
   */
  loginLocation(returnPath?: string | null): string;
  /**
   * The answer to an error on the app's own route, as plain parts. API clients (requests with
   * a bearer `facts.authorization` among them, and every client when browser mode is off)
   * get the JSON error of `errorParts(error, realm)`. In browser mode a browser that is not
   * signed in and `GET`s a page gets `303` to the login page with `next` = `facts.path`;
   * other errors are an HTML page with the error's status.
   */
  errorParts(error: unknown, facts?: ErrorFacts): ErrorParts;
  /** The OpenAPI 3.1 document of the routes (with the `docs.extend` additions). */
  openapi(): OpenApiDocument;
  /** User administration for the application's own code. */
  readonly users: UserAdmin;
  /** The clock this instance reads. */
  readonly clock: Clock;
  /** The realm of its challenges. */
  readonly realm: string;
  /**
   * The largest request body `handler` reads, in bytes (the `maxBodyBytes` option). An
   * adapter that refuses a request reads at most this much of a body no one read, so that
   * the answer reaches a client that is still uploading.
   */
  readonly maxBodyBytes: number;
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
  return buildAuth(options, pureSignatureChecks);
}

/**
 * `createAuth` with a runtime's synchronous signature checks; the `node` entry passes
 * node:crypto's. Internal: not exported from any entry.
 */
export function buildAuth(options: AuthOptions, checks: SignatureChecks): Auth {
  const resolved = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  const roles = createRoleModel(options.roles);
  const [undefinedDefault] = roles.unknownRoles(resolved.defaultRoles);
  if (undefinedDefault !== undefined) {
    throw new AuthConfigError(
      'defaultRoles',
      options.defaultRoles
        ? `role "${undefinedDefault}" is not defined by the roles option`
        : `is ["user"] by default, and the roles option does not define "user": define it or set defaultRoles`,
    );
  }
  const hasher = withVerifiers(
    options.password?.hasher ?? createHasher(),
    options.password?.verifiers ?? [],
  );
  const cache =
    resolved.tokenCacheSize > 0 ? new VerifiedTokenCache(resolved.tokenCacheSize) : undefined;
  // Every principal this instance's verifiers made (cached ones included).
  const issued = new WeakSet<Principal>();

  let keySet: Promise<KeySet> | undefined;
  let verifiers: AccessTokenVerifiers | undefined;
  const verifySettings = {
    issuer: resolved.issuer,
    audience: resolved.audience,
    clockTolerance: resolved.clockTolerance,
  };
  // The verifiers are built with the keys, whatever first needs them (signing or verifying).
  const keys = (): Promise<KeySet> => {
    keySet ??= loadKeys(resolved.keys).then((k) => {
      verifiers = createAccessTokenVerifiers(k, checks, clock, verifySettings, cache, issued);
      return k;
    });
    return keySet;
  };
  const verifyAccessToken: AccessTokenVerifier = (token) => {
    if (verifiers) return verifiers.verify(token);
    return keys().then(() => (verifiers as AccessTokenVerifiers).verify(token));
  };
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    // A hasher that can forge one needs no derivation: `ready()` and start-up stay instant.
    dummy ??= hasher.dummyHash
      ? Promise.resolve(hasher.dummyHash())
      : hasher.hash(crypto.randomUUID());
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
    loginTurns: keyedTurns(),
    emit: eventEmitter(options.onEvent),
    reportError: errorReporter(options.onError),
  };

  const authenticate = (authorization: string | null | undefined): Promise<Principal> => {
    let token: string | null;
    try {
      token = bearerCredentials(authorization);
    } catch (error) {
      return Promise.reject(error);
    }
    if (token === null) return Promise.reject(new AuthError('unauthorized'));
    return verifyAccessToken(token);
  };
  const authenticateSync = (authorization: string | null | undefined): Principal | undefined => {
    // A cached token is in the cache exactly as `Bearer <token>` carries it, and passed
    // every check of the header's parsing when it was verified: a hit needs none of them.
    if (verifiers && typeof authorization === 'string') {
      const hit = verifiers.cachedHeader(authorization);
      if (hit) return hit;
    }
    // Browser mode: a request without a bearer header is for its session cookies to decide.
    if (resolved.browser && !isBearerScheme(authorization)) return undefined;
    const token = bearerCredentials(authorization);
    if (token === null) throw new AuthError('unauthorized');
    return verifiers?.verifySync(token);
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
    verifyAccessToken,
    openapi: openApiDocument(resolved),
  };
  const { handler, handles, browser, routePaths } = createHandler(ctx, flows);
  const authenticateRequest = browser
    ? browser.session.authenticate
    : (facts: RequestFacts): Promise<RequestAuthentication> =>
        authenticate(facts.authorization).then(bearerAuthentication);

  return {
    async ready() {
      await keys();
      await dummyHash();
    },
    ...flows,
    authenticateSync,
    verifyAccessToken,
    verified: (principal) => issued.has(principal),
    authorize: roles.authorize,
    checkRequirement: roles.check,
    hasRole: roles.hasRole,
    can: roles.can,
    handler,
    handles,
    routePaths,
    paths: {
      base: resolved.basePath,
      jwks: resolved.jwksPath,
      login: resolved.browser ? resolved.browser.loginPath : undefined,
      home: resolved.browser ? resolved.browser.homePath : undefined,
      openapi: resolved.docs ? resolved.docs.openapiPath : undefined,
      docs: resolved.docs ? resolved.docs.path : undefined,
    },
    browserMode: browser !== undefined,
    authenticateRequest,
    prefersHtml,
    loginLocation: (returnPath) =>
      loginLocation(
        resolved.browser ? resolved.browser.loginPath : `${resolved.basePath}/login`,
        returnPath,
      ),
    errorParts: (error, facts = {}) =>
      browser
        ? negotiatedErrorParts(error, facts, browser.settings)
        : jsonErrorParts(error, resolved.realm),
    users: userAdmin(ctx),
    clock,
    realm: resolved.realm,
    maxBodyBytes: resolved.maxBodyBytes,
  };
}
