/**
 * What every comparison shares: the mode (full or smoke), the token claims and keys, the
 * token factory, the statistics, and how a child process is started.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** `BENCH_SMOKE=1`: one tiny round of everything, to check that it runs; figures meaningless. */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** Durations and counts of the two modes. */
export const settings = SMOKE
  ? {
      rounds: 1,
      httpRounds: 1,
      verifyMs: 40,
      verifyWarmupMs: 20,
      httpSeconds: 1, // smoke HTTP runs send a fixed 300 requests instead (see http.ts)
      httpWarmupSeconds: 0,
      hashSeconds: 1,
      loginSeconds: 0.5,
      memoryTokens: 5_000,
      memoryLogins: 5_000,
      memoryRuns: 1,
    }
  : {
      rounds: 5,
      // Shorter HTTP runs, more of them: the two runs of a ratio are closer in time, so a
      // shared machine's drifting load cancels out of more of the pairs.
      httpRounds: 8,
      verifyMs: 500,
      verifyWarmupMs: 200,
      httpSeconds: 2,
      httpWarmupSeconds: 2,
      hashSeconds: 4,
      loginSeconds: 3,
      memoryTokens: 100_000,
      memoryLogins: 100_000,
      memoryRuns: 3,
    };

/** Connections of every saturating HTTP run. */
export const CONNECTIONS = 50;

export const ISSUER = 'urn:auth-core:bench';
export const AUDIENCE = 'urn:auth-core:api';
/** The HS256 secret every contender verifies with (32 bytes). */
export const SECRET = 'bench-secret-0123456789abcdef-0123456789';
export const SECRET_BYTES = new TextEncoder().encode(SECRET);

/** The secret as a WebCrypto HMAC key, imported once (jose's `importJWK` keeps bytes for HS256). */
export function hmacCryptoKey(): Promise<CryptoKey> {
  const algorithm = { name: 'HMAC', hash: 'SHA-256' };
  return crypto.subtle.importKey('raw', SECRET_BYTES, algorithm, false, ['verify']);
}

/** An asymmetric key pair as `@auth/core` takes it (private JWK) and node:crypto uses it. */
export interface KeyPair {
  alg: 'EdDSA' | 'ES256';
  kid: string;
  privateJwk: Record<string, unknown>;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh asymmetric key pair (Ed25519 for EdDSA, P-256 for ES256). */
export function keyPair(alg: 'EdDSA' | 'ES256'): KeyPair {
  const { privateKey, publicKey } =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { alg, kid: `bench-${alg}`, privateJwk, privateKey, publicKey };
}

let counter = 0;

/**
 * A fresh access token with the claims `@auth/core` issues (typ at+jwt, iss, aud, sub, iat,
 * exp, jti, roles, sid), signed with node:crypto. Every call gives a distinct token.
 */
export function makeToken(key: 'HS256' | KeyPair, ttlSeconds = 900): string {
  const now = Math.floor(Date.now() / 1000);
  counter += 1;
  const alg = key === 'HS256' ? 'HS256' : key.alg;
  const header = key === 'HS256' ? { alg, typ: 'at+jwt' } : { alg, typ: 'at+jwt', kid: key.kid };
  const payload = {
    roles: ['user'],
    sid: randomBytes(12).toString('base64url'),
    iss: ISSUER,
    aud: AUDIENCE,
    sub: `user-${counter}`,
    iat: now,
    exp: now + ttlSeconds,
    jti: randomBytes(12).toString('base64url'),
  };
  const input = `${b64(header)}.${b64(payload)}`;
  let signature: Buffer;
  if (key === 'HS256') signature = createHmac('sha256', SECRET_BYTES).update(input).digest();
  else if (key.alg === 'EdDSA') signature = sign(null, Buffer.from(input), key.privateKey);
  else {
    signature = sign('sha256', Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
  }
  return `${input}.${signature.toString('base64url')}`;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A median with its spread over the rounds. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** Median, min and max of the samples. */
export function figure(samples: number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples };
}

/**
 * Forks a TypeScript module of this directory as a child process (tsx loader, plus `extra`
 * flags such as `--expose-gc`) and resolves with its first IPC message. With `under`, Node
 * runs under that command (`valgrind` and its flags).
 */
export function forkChild<T>(
  module: string,
  args: string[],
  extra: string[] = [],
  under?: { command: string; args: string[] },
): { child: ChildProcess; ready: Promise<T> } {
  const node = [...extra, '--import', 'tsx'];
  const child = fork(fileURLToPath(new URL(module, import.meta.url)), args, {
    execPath: under?.command ?? process.execPath,
    execArgv: under ? [...under.args, process.execPath, ...node] : node,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${module} ${args.join(' ')} exited (${code})`)));
  });
  return { child, ready };
}

/** Sends `message` to a child and resolves with its answer. */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message as object);
  });
}

/** Ends a child this process started and waits until it is gone. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Prints one progress line to stderr (stdout gets the tables). */
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** The commit measured, marked when the tree has uncommitted changes to what is measured. */
export function commit(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString();
    // Untracked files and an earlier run's own output change nothing that is measured.
    const status = ['status', '--porcelain', '--untracked-files=no', '--', '.'];
    const output = ['RESULTS.md', 'results.svg', 'INSTRUCTIONS.md'].map(
      (f) => `:(exclude)bench/${f}`,
    );
    const dirty = execFileSync('git', [...status, ...output], { cwd: root }).length > 0;
    return `${sha.trim()}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}
