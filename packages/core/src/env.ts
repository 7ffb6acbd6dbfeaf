/**
 * `@auth/core/env`: reads the environment variables of docs/API.md into validated
 * `createAuth` options. Pure: it takes the variables as an object (`process.env` on Node).
 * A bad value throws one {@link EnvConfigError} whose message names the variable.
 */

import type { JWK } from 'jose';
import type { Auth } from './auth.js';
import { type AuthOptions, MAX_LOGIN_ATTEMPTS } from './config.js';
import { AuthConfigError, AuthError } from './errors.js';
import { MAX_DURATION_SECONDS } from './max-duration.js';
import { randomId } from './random.js';
import { generatePrivateJwk, type KeyOption, loadKeys, secretBytes } from './tokens/keys.js';

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A bad environment variable; `option` is the variable's name. */
export class EnvConfigError extends AuthConfigError {
  constructor(variable: string, message: string) {
    super(variable, message);
    this.name = 'EnvConfigError';
    this.message = `${variable} ${message}`;
  }
}

/** What the environment configures. */
export interface EnvConfig {
  /** `PORT`, default 3000. */
  readonly port: number;
  /** `HOST`, default `127.0.0.1`. */
  readonly host: string;
  /** True when `NODE_ENV=production`. */
  readonly production: boolean;
  /** `createAuth` options, less `storage`. */
  readonly options: Omit<AuthOptions, 'storage'>;
  /** The admin to seed, when both `AUTH_ADMIN_USERNAME` and `AUTH_ADMIN_PASSWORD` are set. */
  readonly admin: { readonly username: string; readonly password: string } | undefined;
  /** `DATABASE_URL`, when set. */
  readonly databaseUrl: string | undefined;
  /** `AUTH_DATA_DIR`, default `./.data`. */
  readonly dataDir: string;
  /** `AUTH_COOKIE_SECURE`, default true in production. */
  readonly cookieSecure: boolean;
  /** Warnings to print (a generated secret or key). Never contain a secret. */
  readonly warnings: readonly string[];
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
    const kind = min > 0 ? 'a positive integer' : 'a non-negative integer';
    throw new EnvConfigError(
      name,
      `must be ${kind}${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}, got ${JSON.stringify(raw.slice(0, 20))}`,
    );
  }
  return Number(trimmed);
}

function text(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw ? raw : fallback;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new EnvConfigError(
    name,
    `must be true or false (or 1/0, yes/no), got ${JSON.stringify(raw.slice(0, 20))}`,
  );
}

/**
 * `AUTH_PRIVATE_KEY` parsed: a JSON object whose own metadata, where it has any, lets it sign
 * with `alg` (RFC 7517 §4.2–4.5: `use`, `key_ops`, `alg`, `kid`).
 */
function privateJwk(raw: string, alg: 'EdDSA' | 'ES256'): JWK {
  const bad = (problem: string) => new EnvConfigError('AUTH_PRIVATE_KEY', problem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad('is not valid JSON (expected a private JWK)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw bad('must be a JSON object (a private JWK)');
  }
  const jwk = parsed as Record<string, unknown>;
  const quoted = (value: unknown) => JSON.stringify(value)?.slice(0, 20) ?? String(value);
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw bad(`is a key for "alg" ${quoted(jwk.alg)}, not ${alg} (AUTH_ALG)`);
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw bad(`has "use" ${quoted(jwk.use)}: a signing key has "sig"`);
  }
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('sign'))) {
    throw bad('has "key_ops" without "sign"');
  }
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid === '')) {
    throw bad('has a "kid" that is not a non-empty string');
  }
  return jwk as JWK;
}

async function signingKey(env: Env, production: boolean, warnings: string[]): Promise<KeyOption> {
  const alg = text(env, 'AUTH_ALG', 'HS256');
  if (alg === 'HS256') {
    if (env.AUTH_PRIVATE_KEY?.trim()) {
      warnings.push(
        'AUTH_PRIVATE_KEY is ignored: AUTH_ALG is HS256 (set AUTH_ALG=EdDSA or ES256 to sign with the key)',
      );
    }
    const secret = env.AUTH_SECRET;
    if (secret === undefined || secret === '') {
      if (production)
        throw new EnvConfigError('AUTH_SECRET', 'is required when NODE_ENV=production');
      warnings.push(
        'AUTH_SECRET is not set: using a random secret, so tokens will not survive a restart',
      );
      return { alg, secret: randomId(32) };
    }
    if (secretBytes(secret).length < 32)
      throw new EnvConfigError('AUTH_SECRET', 'must be at least 32 bytes');
    return { alg, secret };
  }
  if (alg !== 'EdDSA' && alg !== 'ES256') {
    throw new EnvConfigError(
      'AUTH_ALG',
      `must be HS256, EdDSA or ES256, got "${alg.slice(0, 20)}"`,
    );
  }
  if (env.AUTH_SECRET?.trim()) {
    warnings.push(`AUTH_SECRET is ignored: AUTH_ALG is ${alg}, which signs with AUTH_PRIVATE_KEY`);
  }
  const raw = env.AUTH_PRIVATE_KEY;
  if (raw === undefined || raw === '') {
    if (production)
      throw new EnvConfigError(
        'AUTH_PRIVATE_KEY',
        `is required for ${alg} when NODE_ENV=production`,
      );
    warnings.push(
      `AUTH_PRIVATE_KEY is not set: generated an ${alg} key pair, so tokens will not survive a restart`,
    );
    return { alg, privateKey: await generatePrivateJwk(alg) };
  }
  const jwk = privateJwk(raw, alg);
  const key: KeyOption = { alg, privateKey: jwk, ...(jwk.kid ? { kid: jwk.kid } : {}) };
  try {
    await loadKeys([key]);
  } catch {
    throw new EnvConfigError('AUTH_PRIVATE_KEY', `is not a valid ${alg} private JWK`);
  }
  return key;
}

/**
 * Reads the variables of docs/API.md.
 * @throws EnvConfigError naming the first bad variable
 * @example
 * ```ts
 * const config = await readEnv(process.env);
 * for (const w of config.warnings) console.warn(`warning: ${w}`);
 * const auth = createAuth({ ...config.options, storage: memoryStorage() });
 * ```
 */
export async function readEnv(env: Env): Promise<EnvConfig> {
  const production = env.NODE_ENV === 'production';
  const warnings: string[] = [];
  const keys = await signingKey(env, production, warnings);
  const maxAttempts = integer(env, 'AUTH_LOGIN_MAX_ATTEMPTS', 5, 1, MAX_LOGIN_ATTEMPTS);
  const adminUser = env.AUTH_ADMIN_USERNAME?.trim();
  const adminPassword = env.AUTH_ADMIN_PASSWORD;
  if (Boolean(adminUser) !== Boolean(adminPassword)) {
    const [set, missing] = adminUser
      ? ['AUTH_ADMIN_USERNAME', 'AUTH_ADMIN_PASSWORD']
      : ['AUTH_ADMIN_PASSWORD', 'AUTH_ADMIN_USERNAME'];
    warnings.push(`${set} is set but ${missing} is not: no admin user is created`);
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST', '127.0.0.1'),
    production,
    options: {
      issuer: text(env, 'AUTH_ISSUER', 'urn:auth-core:example'),
      audience: text(env, 'AUTH_AUDIENCE', 'urn:auth-core:api'),
      keys,
      accessTokenTtl: integer(env, 'AUTH_ACCESS_TTL', 900, 1, MAX_DURATION_SECONDS),
      refreshTokenTtl: integer(env, 'AUTH_REFRESH_TTL', 2_592_000, 1, MAX_DURATION_SECONDS),
      refreshReuseGrace: integer(env, 'AUTH_REFRESH_REUSE_GRACE', 10, 0, MAX_DURATION_SECONDS),
      rateLimit: {
        maxAttempts,
        window: integer(env, 'AUTH_LOGIN_WINDOW', 900, 1, MAX_DURATION_SECONDS),
      },
      roles: { admin: { inherits: ['user'] }, user: {} },
    },
    admin:
      adminUser && adminPassword ? { username: adminUser, password: adminPassword } : undefined,
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: text(env, 'AUTH_DATA_DIR', './.data'),
    cookieSecure: bool(env, 'AUTH_COOKIE_SECURE', production),
    warnings,
  };
}

/** What {@link listenError} reads of a failed `server.listen`: Node's error fields. */
export interface ListenFailure {
  readonly message: string;
  readonly code?: string | undefined;
  readonly syscall?: string | undefined;
}

/**
 * The one line to print when the server cannot listen, naming the variable to change: `PORT`
 * when the port is taken or not allowed, `HOST` when the address cannot be resolved or bound
 * here. Any other server error is its own message.
 * @example
 * ```ts
 * server.on('error', (error) => { console.error(`error: ${listenError(error, config)}`); process.exit(1); });
 * ```
 */
export function listenError(error: ListenFailure, at: { host: string; port: number }): string {
  if (error.syscall !== 'listen' && error.syscall !== 'getaddrinfo') return error.message;
  if (error.code === 'EADDRINUSE') return `PORT ${at.port} is already in use (${error.message})`;
  if (error.code === 'EACCES') return `PORT ${at.port} is not allowed here (${error.message})`;
  return `HOST ${at.host} is not an address to listen on here (${error.message})`;
}

/**
 * The start-up error for an admin the policy refuses, each problem under its variable:
 * `AUTH_ADMIN_USERNAME username must be …; AUTH_ADMIN_PASSWORD password must be …`.
 */
function adminConfigError(error: AuthError): EnvConfigError {
  const problems = new Map<string, string[]>();
  for (const { path, message } of error.issues ?? []) {
    const variable = path === 'username' ? 'AUTH_ADMIN_USERNAME' : 'AUTH_ADMIN_PASSWORD';
    problems.set(variable, [...(problems.get(variable) ?? []), `${path} ${message}`.trim()]);
  }
  const [first, ...rest] = problems;
  if (!first) return new EnvConfigError('AUTH_ADMIN_PASSWORD', error.message);
  const more = rest.map(([variable, texts]) => `; ${variable} ${texts.join('; ')}`).join('');
  return new EnvConfigError(first[0], first[1].join('; ') + more);
}

/**
 * Makes sure the admin user exists with the `admin` role and the given password. When the
 * password changed, every session of the admin is revoked. A user of
 * that name who is not an admin yet (say, one who registered the name first) is promoted
 * only after every one of its sessions is revoked: the new password is the operator's, and
 * nobody who signed in before keeps a session that would refresh into admin tokens.
 * @throws EnvConfigError when the username or password breaks the policy
 */
export async function seedAdmin(
  auth: Auth,
  admin: { username: string; password: string },
): Promise<void> {
  try {
    let user = await auth.users.findByUsername(admin.username);
    let created = false;
    if (!user) {
      try {
        user = await auth.register(admin);
        created = true;
      } catch (error) {
        // Registered by someone else in the meantime: treated as any existing user.
        user = await auth.users.findByUsername(admin.username);
        if (!user || !(error instanceof AuthError && error.code === 'username_taken')) throw error;
      }
    }
    // A changed password ends every session opened with the old one (it may have leaked);
    // a restart with the same one leaves them alone.
    if (!created && !(await auth.users.verifyPassword(user.id, admin.password))) {
      await auth.users.setPassword(user.id, admin.password);
      await auth.logoutAll(user.id);
    }
    if (!user.roles.includes('admin')) {
      await auth.logoutAll(user.id);
      await auth.users.setRoles(user.id, [...user.roles, 'admin']);
    }
  } catch (error) {
    if (error instanceof AuthError && error.code === 'invalid_request') {
      throw adminConfigError(error);
    }
    throw error;
  }
}
