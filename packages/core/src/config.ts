/**
 * The options of `createAuth`, validated with zod. A bad option throws one
 * {@link AuthConfigError} naming it, at start-up.
 */
import { z } from 'zod';
import type { Clock } from './clock.js';
import { AuthConfigError } from './errors.js';
import type { AuthEventListener } from './events.js';
import type { HashVerifier } from './password/scheme.js';
import type { PasswordHasher } from './password/types.js';
import type { RolesOption } from './roles/roles.js';
import type { AuthStorage } from './storage/types.js';
import { type KeyOption, SUPPORTED_ALGORITHMS, secretBytes } from './tokens/keys.js';

/** Login throttling. Counts failed logins in fixed windows. */
export interface RateLimitOptions {
  /** Failed logins for one username from one client per window before 429. Default 5. */
  maxAttempts?: number;
  /** Window length in seconds. Default 900. */
  window?: number;
  /** Failed logins from one client (any username) per window: this × `maxAttempts`. Default 20. */
  perClientMultiplier?: number;
  /** Failed logins for one username from all clients per window. Default 20 × `maxAttempts`. */
  perUsernameCeiling?: number;
}

/** Password policy and hashing. */
export interface PasswordOptions {
  /** The hasher. Default: argon2id (m=19456 KiB, t=2, p=1); on Node, in a worker pool. */
  hasher?: PasswordHasher;
  /**
   * Extra verifiers of imported hash formats, e.g. `bcryptVerifier()` from
   * `@auth/core/bcrypt`; such hashes are replaced by the hasher's at the first login.
   */
  verifiers?: readonly HashVerifier[];
  /** Minimum length in characters. Default 8. */
  minLength?: number;
  /** Maximum length in characters, refused before hashing. Default 1024. */
  maxLength?: number;
}

/** Options of `createAuth`. */
export interface AuthOptions {
  /** `iss` of access tokens. */
  issuer: string;
  /** `aud` of access tokens. */
  audience: string | readonly string[];
  /** Signing key, or keys: the first signs, all verify (rotation). */
  keys: KeyOption | readonly KeyOption[];
  /** Users, sessions and rate-limit counters. */
  storage: AuthStorage;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Access-token lifetime, seconds. Default 900. */
  accessTokenTtl?: number;
  /** Refresh-token lifetime, seconds. Default 2592000 (30 days). */
  refreshTokenTtl?: number;
  /** Seconds in which re-presenting a rotated refresh token is a benign retry. Default 10; 0 = strict. */
  refreshReuseGrace?: number;
  /** Leeway for `exp`/`nbf`, seconds. Default 1 (the issuer verifies its own tokens). */
  clockTolerance?: number;
  /** Password policy and hasher. */
  password?: PasswordOptions;
  /** Roles, their inheritance and permissions. */
  roles?: RolesOption;
  /** Roles of a newly registered user. Default `['user']`. */
  defaultRoles?: readonly string[];
  /** Login throttling, or `false` to turn it off. */
  rateLimit?: RateLimitOptions | false;
  /** Path prefix of the auth routes. Default `/auth`. */
  basePath?: string;
  /** Path of the JWKS document. Default `/.well-known/jwks.json`. */
  jwksPath?: string;
  /** Largest request body, bytes. Default 65536. */
  maxBodyBytes?: number;
  /** Verified access tokens kept in memory. Default 10000; 0 turns the cache off. */
  tokenCacheSize?: number;
  /** Realm of `WWW-Authenticate` challenges. Default `auth`. */
  realm?: string;
  /** Audit-event listener. */
  onEvent?: AuthEventListener;
}

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const path = z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must be a path starting with "/"');
const fn = (name: string) =>
  z.custom<unknown>((v) => typeof v === 'function', { message: `must be ${name}` });

const keySchema = z.discriminatedUnion(
  'alg',
  [
    z.object({
      alg: z.literal('HS256'),
      secret: z
        .union([z.string(), z.instanceof(Uint8Array)])
        .refine((s) => secretBytes(s).length >= 32, {
          message: 'must be at least 32 bytes',
        }),
      kid: z.string().min(1).optional(),
    }),
    z.object({
      alg: z.enum(['EdDSA', 'ES256']),
      privateKey: z.record(z.string(), z.unknown()).optional(),
      publicKey: z.record(z.string(), z.unknown()).optional(),
      kid: z.string().min(1).optional(),
    }),
  ],
  { error: () => `alg must be one of ${SUPPORTED_ALGORITHMS.join(', ')}` },
);

const store = (methods: string[]) =>
  z.custom<unknown>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    { message: `must implement ${methods.join(', ')}` },
  );

const schema = z.object({
  issuer: z.string().min(1),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  keys: z.custom<unknown>((v) => typeof v === 'object' && v !== null, { message: 'is required' }),
  storage: z.object({
    users: store(['createUser', 'findUserByUsername', 'findUserById', 'updateUser', 'deleteUser']),
    sessions: store([
      'createFamily',
      'spendToken',
      'replaceFamilyToken',
      'findToken',
      'revokeFamily',
    ]),
    rateLimits: store(['hit', 'peek', 'reset', 'prune']),
  }),
  clock: z.object({ now: fn('a function returning ms') }).optional(),
  accessTokenTtl: positiveInt.optional(),
  refreshTokenTtl: positiveInt.optional(),
  refreshReuseGrace: nonNegativeInt.optional(),
  clockTolerance: nonNegativeInt.max(300).optional(),
  password: z
    .object({
      hasher: z
        .object({ hash: fn('a function'), verify: fn('a function'), needsRehash: fn('a function') })
        .optional(),
      verifiers: z
        .array(z.object({ supports: fn('a function'), verify: fn('a function') }))
        .optional(),
      minLength: positiveInt.max(1024).optional(),
      maxLength: positiveInt.max(4096).optional(),
    })
    .optional(),
  roles: z
    .record(
      z.string().min(1),
      z.object({
        inherits: z.array(z.string()).optional(),
        permissions: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  defaultRoles: z.array(z.string().min(1)).optional(),
  rateLimit: z
    .union([
      z.literal(false),
      z.object({
        maxAttempts: positiveInt.optional(),
        window: positiveInt.optional(),
        perClientMultiplier: positiveInt.optional(),
        perUsernameCeiling: positiveInt.optional(),
      }),
    ])
    .optional(),
  basePath: path.optional(),
  jwksPath: path.optional(),
  maxBodyBytes: positiveInt.max(16 * 1024 * 1024).optional(),
  tokenCacheSize: nonNegativeInt.optional(),
  realm: z
    .string()
    .regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/, 'must be printable ASCII without quotes')
    .optional(),
  onEvent: fn('a function').optional(),
});

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly keys: readonly KeyOption[];
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly refreshReuseGrace: number;
  readonly clockTolerance: number;
  readonly minPasswordLength: number;
  readonly maxPasswordLength: number;
  readonly defaultRoles: readonly string[];
  readonly rateLimit: Required<RateLimitOptions> | false;
  readonly basePath: string;
  readonly jwksPath: string;
  readonly maxBodyBytes: number;
  readonly tokenCacheSize: number;
  readonly realm: string;
}

/**
 * Validates options and fills in defaults.
 * @throws AuthConfigError naming the first bad option
 */
export function resolveOptions(options: AuthOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new AuthConfigError('options', 'createAuth needs an options object');
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p)))
      .join('');
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw new AuthConfigError(name || 'options', message);
  }
  const keys = Array.isArray(options.keys) ? options.keys : [options.keys as KeyOption];
  if (keys.length === 0) throw new AuthConfigError('keys', 'needs at least one key');
  keys.forEach((key, i) => {
    const result = keySchema.safeParse(key);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const where = Array.isArray(options.keys) ? `keys[${i}]` : 'keys';
      const field = issue.path.length ? issue.path.map(String).join('.') : 'alg';
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      throw new AuthConfigError(`${where}.${field}`, message);
    }
  });
  if (keys.length > 1) {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (key.alg === 'HS256' && key.kid === undefined) {
        throw new AuthConfigError(
          `keys[${i}].kid`,
          'is required for HS256 keys when several keys are configured',
        );
      }
      if (key.kid !== undefined) {
        if (seen.has(key.kid))
          throw new AuthConfigError(`keys[${i}].kid`, `duplicate kid "${key.kid}"`);
        seen.add(key.kid);
      }
    });
  }
  const minLength = options.password?.minLength ?? 8;
  const maxLength = options.password?.maxLength ?? 1024;
  if (minLength > maxLength)
    throw new AuthConfigError('password.minLength', 'must not exceed password.maxLength');
  const rl = options.rateLimit;
  const maxAttempts = rl === false ? 0 : (rl?.maxAttempts ?? 5);
  const basePath = (options.basePath ?? '/auth').replace(/\/+$/, '');
  return {
    issuer: options.issuer,
    audience: options.audience,
    keys,
    accessTokenTtl: options.accessTokenTtl ?? 900,
    refreshTokenTtl: options.refreshTokenTtl ?? 2_592_000,
    refreshReuseGrace: options.refreshReuseGrace ?? 10,
    clockTolerance: options.clockTolerance ?? 1,
    minPasswordLength: minLength,
    maxPasswordLength: maxLength,
    defaultRoles: options.defaultRoles ?? ['user'],
    rateLimit:
      rl === false
        ? false
        : {
            maxAttempts,
            window: rl?.window ?? 900,
            perClientMultiplier: rl?.perClientMultiplier ?? 20,
            perUsernameCeiling: rl?.perUsernameCeiling ?? maxAttempts * 20,
          },
    basePath,
    jwksPath: options.jwksPath ?? '/.well-known/jwks.json',
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    tokenCacheSize: options.tokenCacheSize ?? 10_000,
    realm: options.realm ?? 'auth',
  };
}
