/**
 * The options of `createAuth`, validated with zod. A bad option throws one
 * {@link AuthConfigError} naming it, at start-up.
 */
import { z } from 'zod';
import type { Clock } from './clock.js';
import { AuthConfigError } from './errors.js';
import type { AuthEventListener } from './events.js';
import type { AssetProvider, OpenApiDocument } from './http/docs/types.js';
import type { AuthErrorListener } from './http/report-error.js';
import { MAX_DURATION_SECONDS } from './max-duration.js';
import type { HashVerifier } from './password/scheme.js';
import type { PasswordHasher } from './password/types.js';
import type { RolesOption } from './roles/roles.js';
import type { AuthStorage } from './storage/types.js';
import { type KeyOption, SUPPORTED_ALGORITHMS, secretBytes } from './tokens/keys.js';

/** Most failed logins a limit may allow per window (each counted one is kept until it leaves). */
export const MAX_LOGIN_ATTEMPTS = 1000;

/**
 * Login throttling. Counts failed logins in a sliding window: those of the last `window`
 * seconds.
 */
export interface RateLimitOptions {
  /**
   * Failed logins for one username from one client per window before 429. Default 5, at
   * most 1000.
   */
  maxAttempts?: number;
  /** Window length in seconds. Default 900. */
  window?: number;
  /**
   * Opt-in hardening against credential stuffing: failed logins from one client (any
   * username) per window, as this × `maxAttempts`; past it the client gets 429 for every
   * username, the right password too. At most 1000. Default: off, so that one client's
   * failures never affect its other usernames (the HTTP contract).
   */
  perClientMultiplier?: number;
  /**
   * Opt-in hardening against distributed guessing: failed logins for one username from all
   * clients per window; past it the username gets 429 from every client, which lets anyone
   * with that many failures lock the account. At most 100 000. Default: off, so that other
   * clients are never affected; but a login whose client address is unknown is counted per
   * username at 20 × `maxAttempts` unless this is set (there is no client to count it by).
   */
  perUsernameCeiling?: number;
}

/** Login throttling as resolved: the opt-in ceilings stay `undefined` when off. */
export interface ResolvedRateLimit {
  readonly maxAttempts: number;
  readonly window: number;
  readonly perClientMultiplier: number | undefined;
  readonly perUsernameCeiling: number | undefined;
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

/**
 * Browser mode: the auth routes also serve HTML pages to requests whose `Accept` prefers
 * `text/html`, and keep the session in cookies (see docs/API.md, "Browser mode and docs").
 * API clients keep getting the JSON contract, unchanged.
 */
export interface BrowserOptions {
  /**
   * Mark the session cookies `Secure` and give them the `__Host-` prefix (which also pins them
   * to this exact host and `Path=/`). Default `true`. Turn it off only for an app served over
   * plain http on localhost during development.
   */
  secureCookies?: boolean;
  /**
   * Where a browser goes after logging in when no return path is given, and where a browser
   * that is already logged in goes from the login page. A path. Default `/`.
   */
  homePath?: string;
  /**
   * Serve `GET {homePath}`: a page greeting the logged-in user, with a logout button; without
   * a session, `303` to the login page with `next={homePath}`. API clients get
   * `200 {"user": …}` or the usual `401`. Default `false` (the app serves its own home page).
   */
  homePage?: boolean;
  /**
   * Origins, besides the request's own (`https://{Host}`, and `http://{Host}` when cookies are
   * not secure or the host is loopback), that cookie-authenticated state-changing requests may
   * come from; e.g. the public origin when a proxy rewrites `Host`. Each `scheme://host[:port]`.
   */
  trustedOrigins?: readonly string[];
  /** Name shown in page titles and headings. Default `Account`. */
  appName?: string;
}

/** The OpenAPI document (`GET /openapi.json`) and the interactive docs page (`GET /docs`). */
export interface DocsOptions {
  /** `info.title` of the document, and the docs page's title. Default `Auth API`. */
  title?: string;
  /** `info.version` of the document. Default `1.0.0`. */
  version?: string;
  /** `info.description` of the document. */
  description?: string;
  /** Path of the OpenAPI document. Default `/openapi.json`. */
  openapiPath?: string;
  /** Path of the docs page; its files are served under `{path}/`. Default `/docs`. */
  path?: string;
  /**
   * Serves the docs page's files (Swagger UI). On Node: `swaggerUiAssets()` from
   * `@auth/core/docs-assets`. Without it the page only says that the assets are missing.
   */
  assets?: AssetProvider;
  /**
   * Adds the application's own routes (or anything else) to the document; called once, with
   * a fresh copy, when the document is first built. Return the document to serve.
   */
  extend?: (document: OpenApiDocument) => OpenApiDocument;
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
  /**
   * Leeway for `exp`/`nbf`, seconds. Default 0: the issuer verifies its own tokens by its
   * own clock, so a token is refused from its `exp` on (RFC 7519 §4.1.4).
   */
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
  /**
   * Receives every error the handler answers with a 5xx (a storage failure, a bug) and the
   * request's method and path (never its query); errors it throws are swallowed. Default: one
   * line on stderr naming the route, the answer and the error's name and code, but not its
   * message, which may quote a secret (a connection string, say).
   */
  onError?: AuthErrorListener;
  /** Browser mode: HTML pages and cookie sessions. `true` = the defaults. Default off. */
  browser?: BrowserOptions | boolean;
  /** `GET /openapi.json` and `GET /docs`. `true` = the defaults. Default off. */
  docs?: DocsOptions | boolean;
}

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const TOO_LONG = `must be at most ten years (${MAX_DURATION_SECONDS} s)`;
const duration = positiveInt.max(MAX_DURATION_SECONDS, TOO_LONG);
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
  keys: z.custom<unknown>((v) => typeof v === 'object' && v !== null, {
    message:
      "must be a key, { alg: 'HS256', secret } (or EdDSA/ES256 with a privateKey JWK), or a list of keys",
  }),
  storage: z.object({
    users: store(['createUser', 'findUserByUsername', 'findUserById', 'updateUser', 'deleteUser']),
    sessions: store(['createFamily', 'spendToken', 'retryToken', 'findToken', 'revokeFamily']),
    rateLimits: store(['hit', 'peek', 'reset', 'prune']),
  }),
  clock: z.object({ now: fn('a function returning ms') }).optional(),
  accessTokenTtl: duration.optional(),
  refreshTokenTtl: duration.optional(),
  refreshReuseGrace: nonNegativeInt.max(MAX_DURATION_SECONDS, TOO_LONG).optional(),
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
        maxAttempts: positiveInt.max(MAX_LOGIN_ATTEMPTS).optional(),
        window: duration.optional(),
        perClientMultiplier: positiveInt.max(1000).optional(),
        perUsernameCeiling: positiveInt.max(100_000).optional(),
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
  onError: fn('a function').optional(),
  // Checked by `section` below, so that a bad field is named (`browser.homePath`).
  browser: z.unknown().optional(),
  docs: z.unknown().optional(),
});

const browserSchema = z.strictObject({
  secureCookies: z.boolean().optional(),
  homePath: path.optional(),
  homePage: z.boolean().optional(),
  trustedOrigins: z
    .array(
      z.string().refine(isOrigin, { message: 'must be an origin such as https://example.com' }),
    )
    .optional(),
  appName: z.string().min(1).max(100).optional(),
});

const docsSchema = z.strictObject({
  title: z.string().min(1).max(200).optional(),
  version: z.string().min(1).max(100).optional(),
  description: z.string().max(10_000).optional(),
  openapiPath: path.optional(),
  path: path.optional(),
  assets: fn('a function (name) => Response | undefined').optional(),
  extend: fn('a function (document) => document').optional(),
});

/** What a value is, for a message: `a string`, `a function`, `a Promise`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
    return 'a Promise (await it)';
  }
  if (typeof value === 'function') return 'a function (call it)';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The issue to report: of a union none of whose branches matched, the branch's issue that
 * got furthest into the value (`rateLimit.maxAttempts`, not `rateLimit`), its path made whole.
 */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const inner = issue.errors
    .map((branch) => branch[0])
    .filter((i): i is z.core.$ZodIssue => i !== undefined)
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!inner || inner.path.length === 0) return issue;
  return innermost({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}

/** The message of a validation issue: "is required" for a missing value, else what was wrong. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'is not a known option';
  if (issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type') {
    return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}, got ${kindOf(issue.input)}`;
  }
  // Zod's own "Invalid input" of a union says nothing; a message of ours does.
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    return `is not valid here (got ${kindOf(issue.input)})`;
  }
  return issue.message;
}

/** Validates an optional `boolean | object` section, naming the bad field. */
function section(name: string, value: unknown, schema: z.ZodType): void {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuthConfigError(name, 'must be a boolean or an options object');
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : [];
  const where = [...issue.path, ...keys]
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('');
  throw new AuthConfigError(`${name}${where}`, describeIssue(issue));
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Browser mode after validation. */
export interface ResolvedBrowserOptions {
  readonly secureCookies: boolean;
  readonly homePath: string;
  readonly homePage: boolean;
  readonly trustedOrigins: readonly string[];
  readonly appName: string;
  /** `{basePath}/login`. */
  readonly loginPath: string;
}

/** Docs after validation. */
export interface ResolvedDocsOptions {
  readonly title: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly openapiPath: string;
  readonly path: string;
  readonly assets: AssetProvider | undefined;
  readonly extend: ((document: OpenApiDocument) => OpenApiDocument) | undefined;
}

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
  readonly rateLimit: ResolvedRateLimit | false;
  readonly basePath: string;
  readonly jwksPath: string;
  readonly maxBodyBytes: number;
  readonly tokenCacheSize: number;
  readonly realm: string;
  readonly browser: ResolvedBrowserOptions | false;
  readonly docs: ResolvedDocsOptions | false;
}

/**
 * Validates options and fills in defaults.
 * @throws AuthConfigError naming the first bad option
 */
export function resolveOptions(options: AuthOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new AuthConfigError('options', 'createAuth needs an options object');
  }
  // A store not yet opened: the message says what to do.
  const storage: unknown = options.storage;
  if (
    typeof storage === 'function' ||
    typeof (storage as { then?: unknown })?.then === 'function'
  ) {
    throw new AuthConfigError('storage', `must be a store, got ${kindOf(storage)}`);
  }
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) {
    const issue = innermost(parsed.error.issues[0]!);
    const name = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p)))
      .join('');
    throw new AuthConfigError(name || 'options', describeIssue(issue));
  }
  section('browser', options.browser, browserSchema);
  section('docs', options.docs, docsSchema);
  const keys = Array.isArray(options.keys) ? options.keys : [options.keys as KeyOption];
  if (keys.length === 0) throw new AuthConfigError('keys', 'needs at least one key');
  keys.forEach((key, i) => {
    const result = keySchema.safeParse(key, { reportInput: true });
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const where = Array.isArray(options.keys) ? `keys[${i}]` : 'keys';
      const field = issue.path.length ? issue.path.map(String).join('.') : 'alg';
      throw new AuthConfigError(`${where}.${field}`, describeIssue(issue));
    }
    if (key.alg !== 'HS256') {
      const where = Array.isArray(options.keys) ? `keys[${i}]` : 'keys';
      // The first key signs every access token; the others only verify.
      if (i === 0 && !key.privateKey) {
        throw new AuthConfigError(
          `${where}.privateKey`,
          `is required: the first key signs the access tokens (a private ${key.alg} JWK)`,
        );
      }
      if (!key.privateKey && !key.publicKey) {
        throw new AuthConfigError(`${where}.publicKey`, 'is required (or privateKey)');
      }
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
  const jwksPath = options.jwksPath ?? '/.well-known/jwks.json';
  const browser = resolveBrowser(options.browser, basePath);
  const docs = resolveDocs(options.docs);
  checkPaths(basePath, jwksPath, browser, docs);
  return {
    issuer: options.issuer,
    audience: options.audience,
    keys,
    accessTokenTtl: options.accessTokenTtl ?? 900,
    refreshTokenTtl: options.refreshTokenTtl ?? 2_592_000,
    refreshReuseGrace: options.refreshReuseGrace ?? 10,
    clockTolerance: options.clockTolerance ?? 0,
    minPasswordLength: minLength,
    maxPasswordLength: maxLength,
    defaultRoles: options.defaultRoles ?? ['user'],
    rateLimit:
      rl === false
        ? false
        : {
            maxAttempts,
            window: rl?.window ?? 900,
            perClientMultiplier: rl?.perClientMultiplier,
            perUsernameCeiling: rl?.perUsernameCeiling,
          },
    basePath,
    jwksPath,
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    tokenCacheSize: options.tokenCacheSize ?? 10_000,
    realm: options.realm ?? 'auth',
    browser,
    docs,
  };
}

function resolveBrowser(
  option: BrowserOptions | boolean | undefined,
  basePath: string,
): ResolvedBrowserOptions | false {
  if (!option) return false;
  const o = option === true ? {} : option;
  const homePath = o.homePath ?? '/';
  return {
    secureCookies: o.secureCookies ?? true,
    homePath: homePath.length > 1 ? homePath.replace(/\/+$/, '') : homePath,
    homePage: o.homePage ?? false,
    trustedOrigins: [...(o.trustedOrigins ?? [])],
    appName: o.appName ?? 'Account',
    loginPath: `${basePath}/login`,
  };
}

function resolveDocs(option: DocsOptions | boolean | undefined): ResolvedDocsOptions | false {
  if (!option) return false;
  const o = option === true ? {} : option;
  const docsPath = o.path ?? '/docs';
  return {
    title: o.title ?? 'Auth API',
    version: o.version ?? '1.0.0',
    description: o.description,
    openapiPath: o.openapiPath ?? '/openapi.json',
    path: docsPath.length > 1 ? docsPath.replace(/\/+$/, '') : docsPath,
    assets: o.assets,
    extend: o.extend,
  };
}

/** Refuses paths that would shadow one another (a home page inside the auth routes loops). */
function checkPaths(
  basePath: string,
  jwksPath: string,
  browser: ResolvedBrowserOptions | false,
  docs: ResolvedDocsOptions | false,
): void {
  const inside = (p: string, prefix: string) => p === prefix || p.startsWith(`${prefix}/`);
  if (browser) {
    const home = browser.homePath;
    if (inside(home, basePath) || home === jwksPath)
      throw new AuthConfigError('browser.homePath', `must not be one of the auth routes (${home})`);
    if (docs && (inside(home, docs.path) || home === docs.openapiPath))
      throw new AuthConfigError('browser.homePath', `must not be a docs route (${home})`);
  }
  if (docs) {
    if (docs.path === '/' || inside(docs.path, basePath) || docs.path === jwksPath)
      throw new AuthConfigError('docs.path', `must not be "/" or one of the auth routes`);
    if (inside(docs.openapiPath, basePath) || inside(docs.openapiPath, docs.path))
      throw new AuthConfigError('docs.openapiPath', 'must not be one of the auth or docs routes');
  }
}
