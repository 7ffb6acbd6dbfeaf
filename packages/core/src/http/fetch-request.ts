/**
 * A Fetch `Request` for a method the Fetch API refuses to carry. `new Request()` throws for
 * CONNECT, TRACE and TRACK (its "forbidden methods"), yet a server receives them like any
 * other method and must answer them as RFC 9110 says: `405` with `Allow` on a route that
 * lacks them.
 */

/** The methods `new Request()` refuses, matched without regard to case as Fetch matches them. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * `new Request(url, init)` — for a method Fetch forbids, a request without a body whose
 * `method` reads as received (the way `@hono/node-server` builds one), so that the handler
 * answers it `405` instead of the adapter failing. Such a method has no route here, and the
 * body of one that is refused is never read.
 * @example
 * ```ts
 * const request = fetchRequest(url, { method: req.method, headers, body, duplex: 'half' });
 * ```
 */
export function fetchRequest(url: URL, init: RequestInit & { method: string }): Request {
  if (!FORBIDDEN_METHODS.has(init.method.toUpperCase())) return new Request(url, init);
  const request = new Request(url, init.headers ? { headers: init.headers } : {});
  Object.defineProperty(request, 'method', { value: init.method, enumerable: true });
  return request;
}
