/**
 * The request target of an HTTP/1.1 request line (RFC 9112 §3.2), as adapters on Node's
 * `http` module see it in `req.url`.
 */

/** The parts of a request target an origin server routes by. */
export interface RequestTarget {
  /** The path and query, starting with `/`. */
  readonly path: string;
  /**
   * The host of an absolute-form target, which replaces the `Host` header (RFC 9112
   * §3.2.2); `undefined` for origin-form, whose host is the `Host` header's.
   */
  readonly host?: string;
}

/**
 * Splits a request target. Origin-form (`/path?query`) is its own path. Absolute-form
 * (`http://host/path?query`), which a server must accept (RFC 9112 §3.2.2), gives its path
 * and query and its host. Anything else (`*`, authority-form, another scheme, a target that
 * does not parse) is `undefined`: no route of an origin server.
 * @example
 * ```ts
 * requestTarget('/auth/me?x=1'); // { path: '/auth/me?x=1' }
 * requestTarget('http://api.test/auth/me'); // { path: '/auth/me', host: 'api.test' }
 * requestTarget('*'); // undefined
 * ```
 */
export function requestTarget(target: string): RequestTarget | undefined {
  if (target.startsWith('/')) return { path: target };
  if (!/^https?:\/\//i.test(target) || !URL.canParse(target)) return undefined;
  const url = new URL(target);
  if (url.host === '' || url.username !== '' || url.password !== '') return undefined;
  return { path: `${url.pathname}${url.search}`, host: url.host };
}
