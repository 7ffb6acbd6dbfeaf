/**
 * Every failure the core reports for client input is an {@link AuthError} with a stable
 * `code`. The table {@link AUTH_ERROR_CODES} maps each code to its HTTP status and to the
 * RFC 6750 `WWW-Authenticate` challenge it carries, so adapters never decide.
 */

const AUTH_ERROR = Symbol.for('@auth/core/AuthError');

/** How an error code is answered at the HTTP edge. */
export interface AuthErrorSpec {
  /** HTTP status code. */
  readonly status: number;
  /** Default human-readable description (safe to show to any client). */
  readonly description: string;
  /**
   * The RFC 6750 challenge: `'plain'` sends `Bearer realm="…"` without an error code,
   * `'bare'` sends `Bearer`, `'error'` sends `Bearer error="…", error_description="…"`.
   */
  readonly challenge?: 'plain' | 'bare' | 'error';
  /**
   * The `error` value on the wire (the challenge's and the JSON body's) when it differs from
   * the code: an expired token is RFC 6750's `invalid_token`, described as `token expired`.
   */
  readonly challengeError?: string;
  /** Default `Retry-After`, seconds (RFC 9110 §10.2.3), when the condition is temporary. */
  readonly retryAfter?: number;
}

/** One table of every code the core can produce. */
export const AUTH_ERROR_CODES = {
  invalid_request: { status: 400, description: 'the request is malformed' },
  unauthorized: {
    status: 401,
    description: 'authentication required',
    challenge: 'plain',
  },
  invalid_credentials: {
    status: 401,
    description: 'invalid username or password',
    challenge: 'bare',
  },
  invalid_token: {
    status: 401,
    description: 'the access token is invalid',
    challenge: 'error',
  },
  token_expired: {
    status: 401,
    description: 'token expired',
    challenge: 'error',
    challengeError: 'invalid_token',
  },
  insufficient_scope: {
    status: 403,
    description: 'the token does not grant access to this resource',
    challenge: 'error',
  },
  forbidden: { status: 403, description: 'the request is not allowed' },
  not_found: { status: 404, description: 'no such route' },
  method_not_allowed: { status: 405, description: 'method not allowed on this route' },
  username_taken: { status: 409, description: 'that username is already taken' },
  invalid_grant: {
    status: 401,
    description: 'the refresh token is invalid, expired or revoked',
    challenge: 'bare',
  },
  unsupported_grant_type: { status: 400, description: 'the grant type is not supported' },
  invalid_scope: {
    status: 400,
    description: "scopes are not granted here: an access token carries its user's roles",
  },
  payload_too_large: { status: 413, description: 'the request body is too large' },
  unsupported_media_type: {
    status: 415,
    description: 'send application/json or application/x-www-form-urlencoded',
  },
  rate_limited: { status: 429, description: 'too many failed attempts, retry later' },
  unsupported_hash: {
    status: 500,
    description: 'the stored password hash has an unsupported format',
  },
  storage_unavailable: {
    status: 503,
    description: 'the service is temporarily unavailable',
    retryAfter: 5,
  },
  internal_error: { status: 500, description: 'internal error' },
} as const satisfies Record<string, AuthErrorSpec>;

/** A stable error code, one of the keys of {@link AUTH_ERROR_CODES}. */
export type AuthErrorCode = keyof typeof AUTH_ERROR_CODES;

/** Options of an {@link AuthError}. */
export interface AuthErrorOptions {
  /** Overrides the default description. Must never contain a secret. */
  description?: string;
  /** Overrides the status (e.g. `invalid_grant` is 400 at the OAuth token endpoint). */
  status?: number;
  /** Seconds after which a rate-limited client may retry (`Retry-After`). */
  retryAfter?: number;
  /** The methods a route serves (`Allow`), for `method_not_allowed`: e.g. `GET, HEAD`. */
  allow?: string;
  /** Field-level problems of an `invalid_request`. */
  issues?: ReadonlyArray<{ path: string; message: string }>;
  /** The underlying error, kept for logs, never sent to a client. */
  cause?: unknown;
}

/**
 * The one error type of the core.
 *
 * @example
 * ```ts
 * try { await auth.authenticate(header) }
 * catch (e) { if (e instanceof AuthError && e.code === 'token_expired') … }
 * ```
 */
export class AuthError extends Error {
  /** Marks an AuthError across copies of this package (an ESM and a CJS build of it). */
  readonly [AUTH_ERROR]: true = true;
  /** Stable, machine-readable code. */
  readonly code: AuthErrorCode;
  /** HTTP status of this error. */
  readonly status: number;
  /** Seconds until retry (`Retry-After`): for `rate_limited`, and `storage_unavailable`'s 5. */
  readonly retryAfter: number | undefined;
  /** The `Allow` of a 405: the methods the route serves. */
  readonly allow: string | undefined;
  /** Field-level problems, for `invalid_request`. */
  readonly issues: ReadonlyArray<{ path: string; message: string }> | undefined;

  constructor(code: AuthErrorCode, options: AuthErrorOptions = {}) {
    const spec: AuthErrorSpec = AUTH_ERROR_CODES[code];
    super(options.description ?? spec.description, { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.status = options.status ?? spec.status;
    this.retryAfter = options.retryAfter ?? spec.retryAfter;
    this.allow = options.allow;
    this.issues = options.issues;
  }

  /**
   * The JSON body of this error at the HTTP edge. Its `error` is the code on the wire, the
   * same as the challenge's (`invalid_token` for `token_expired`).
   */
  toJSON(): Record<string, unknown> {
    const spec: AuthErrorSpec = AUTH_ERROR_CODES[this.code];
    const error = spec.challengeError ?? this.code;
    const body: Record<string, unknown> = {
      error,
      error_description: descriptionText(this.message),
    };
    if (this.issues) body.issues = this.issues;
    return body;
  }

  /**
   * The `WWW-Authenticate` value of this error, or `undefined` when it carries none (every
   * 401 carries one, as RFC 9110 §15.5.2 requires).
   * @param realm - the realm named in a plain challenge
   */
  challenge(realm: string): string | undefined {
    const spec: AuthErrorSpec = AUTH_ERROR_CODES[this.code];
    // Only a 401 or 403 challenges (`invalid_grant` is 400 at the OAuth token endpoint).
    if (this.status !== 401 && this.status !== 403) return undefined;
    if (spec.challenge === 'bare') return 'Bearer';
    if (spec.challenge === 'plain') return `Bearer realm="${quote(realm)}"`;
    if (spec.challenge === 'error') {
      const error = spec.challengeError ?? this.code;
      return `Bearer error="${error}", error_description="${descriptionText(this.message)}"`;
    }
    return undefined;
  }
}

/** Thrown by `createAuth` (and other factories) for invalid options, naming the option. */
export class AuthConfigError extends Error {
  /** The dotted path of the bad option, e.g. `keys.secret`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid auth option "${option}": ${message}`);
    this.name = 'AuthConfigError';
    this.option = option;
  }
}

/** True when `value` is an {@link AuthError}, also one from another copy of the package. */
export function isAuthError(value: unknown): value is AuthError {
  return (
    value instanceof AuthError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[AUTH_ERROR] === true)
  );
}

function quote(value: string): string {
  return value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ');
}

/** The longest `error_description` sent: a message is cut there, with `...`. */
const MAX_DESCRIPTION = 512;

/**
 * An `error_description` as RFC 6749 §5.2 and RFC 6750 §3 allow it: printable ASCII without
 * `"` and `\` (%x20-21 / %x23-5B / %x5D-7E), so `"` becomes `'`, `\` becomes `/`, and
 * anything else outside the set `?`; at most 512 characters.
 */
function descriptionText(value: string): string {
  const text = value.replace(/[^\x20-\x7e]|["\\]/g, (c) =>
    c === '"' ? "'" : c === '\\' ? '/' : '?',
  );
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 3)}...` : text;
}
