/** Checks the framework adapters make when an app wires them up, shared so they agree. */
import type { Auth } from './auth.js';

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
