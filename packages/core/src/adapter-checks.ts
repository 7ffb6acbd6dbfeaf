/** Checks the framework adapters make when an app wires them up, shared so they agree. */
import type { Auth } from './auth.js';
import type { Requirement } from './roles/roles.js';

/**
 * Throws a `TypeError` unless `value` is an auth instance: `app.get(path, requireAuth,
 * handler)`, with the call forgotten, would otherwise hang or fail every request.
 * @example
 * ```ts
 * export function requireAuth(auth: Auth) { assertAuthInstance(auth); … }
 * ```
 */
export function assertAuthInstance(value: unknown): asserts value is Auth {
  if (typeof (value as Partial<Auth> | undefined)?.authenticateSync !== 'function') {
    throw new TypeError('pass the auth instance: requireAuth(auth), withAuth(auth, handler)');
  }
}

/**
 * The checks of a guard being created: `auth` must be an auth instance, and `requirement`
 * (when given) must name only roles and permissions the `roles` option defines, so that a
 * mistyped role fails when the route is declared rather than refusing everyone with 403.
 * @throws TypeError when `auth` is not an auth instance
 * @throws AuthConfigError naming an unknown role or permission
 * @example
 * ```ts
 * export function withAuth(auth: Auth, handler, requirement?: Requirement) {
 *   assertGuard(auth, requirement); …
 * }
 * ```
 */
export function assertGuard(auth: unknown, requirement?: Requirement): asserts auth is Auth {
  assertAuthInstance(auth);
  if (requirement) auth.checkRequirement(requirement);
}

/**
 * The paths `auth.handler` serves that lie outside `mount` (a router's mount path or an
 * app's base path): requests for them never reach a router mounted there.
 * @example
 * ```ts
 * const hidden = pathsOutside(auth, '/api'); // e.g. ['/.well-known/jwks.json']
 * ```
 */
export function pathsOutside(auth: Pick<Auth, 'routePaths'>, mount: string): string[] {
  return auth.routePaths.filter((p) => p !== mount && !p.startsWith(`${mount}/`));
}

/**
 * Whether a request for `path` that reached a router mounted at `mount` was meant for the
 * auth routes: `path` is one of the core's paths as it is, or once `mount` is taken off.
 * A mount that hides some core path fails such requests only, never the app's own routes.
 * @example
 * ```ts
 * meantForAuth(auth, '/api/auth/login', '/api'); // true: /auth/login under /api
 * ```
 */
export function meantForAuth(auth: Pick<Auth, 'handles'>, path: string, mount: string): boolean {
  return auth.handles(path) || (path.startsWith(mount) && auth.handles(path.slice(mount.length)));
}
