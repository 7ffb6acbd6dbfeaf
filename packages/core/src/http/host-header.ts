/**
 * The `Host` header of a Node request as RFC 9112 §3.2 requires it: exactly one on an
 * HTTP/1.1 request, and a valid `uri-host [":" port]` (RFC 3986 §3.2.2). Node checks only
 * that one is present, answering its absence with an empty 400, and serves a request with
 * two or with one that is no host.
 */

/** What {@link hostHeaderProblem} reads of a Node `IncomingMessage`. */
export interface HostFacts {
  /** `1.1`, `1.0`, `2.0`; a request without it counts as HTTP/1.1. */
  readonly httpVersion?: string | undefined;
  /** Names and values as received. */
  readonly rawHeaders: readonly string[];
}

/** `uri-host [":" port]`: an IP literal, or a reg-name / IPv4 (unreserved, sub-delims, %XX). */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+;=]|%[0-9A-Fa-f]{2})+)(?::[0-9]*)?$/;

/**
 * What is wrong with the `Host` header(s) of a request, or `undefined` when nothing is: the
 * description of a `400 invalid_request`.
 * @example
 * ```ts
 * const problem = hostHeaderProblem(req);
 * if (problem) throw new AuthError('invalid_request', { description: problem });
 * ```
 */
export function hostHeaderProblem(req: HostFacts): string | undefined {
  // HTTP/2 and later name the host in `:authority`, which their parsers check.
  if (req.httpVersion !== undefined && !req.httpVersion.startsWith('1.')) return undefined;
  let value: string | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (value !== undefined) return 'the request has more than one Host header';
    value = raw[i + 1] ?? '';
  }
  if (value === undefined) {
    return req.httpVersion === '1.0' ? undefined : 'the request has no Host header';
  }
  return HOST.test(value) ? undefined : 'the Host header is not a valid host';
}
