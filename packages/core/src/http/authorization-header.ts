/**
 * The `Authorization` header of a Node request as the Fetch API reads it. Node keeps only the
 * first of several (`req.headers.authorization`), where `Headers` joins them with `, `: a
 * request carrying two must not be authenticated by the first on one route and refused on
 * another, nor by a different one than a proxy in front would pick.
 */

/** What {@link authorizationHeader} reads of a Node `IncomingMessage`. */
export interface AuthorizationFacts {
  readonly headers: { readonly authorization?: string | undefined };
  /** Names and values as received; without it only `headers` counts. */
  readonly rawHeaders?: readonly string[] | undefined;
}

/**
 * `req.headers.authorization` — unless the client sent the header more than once: then the
 * values joined as `Headers` joins them, which no scheme parses (a malformed credential, 401).
 * @example
 * ```ts
 * const principal = auth.authenticateSync(authorizationHeader(req));
 * ```
 */
export function authorizationHeader(req: AuthorizationFacts): string | undefined {
  const value = req.headers.authorization;
  const raw = req.rawHeaders;
  if (value === undefined || raw === undefined) return value;
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 13) continue;
    // The two usual spellings first: comparing costs a fraction of lower-casing.
    if (name !== 'authorization' && name !== 'Authorization') {
      if (name.toLowerCase() !== 'authorization') continue;
    }
    if (seen) return `${value}, ${raw[i + 1] ?? ''}`;
    seen = true;
  }
  return value;
}
