/**
 * 4. Memory stays bounded. Each scenario runs in fresh child processes with `--expose-gc`
 * (3 in full mode, two processes at a time; RSS also holds what the allocator keeps, which
 * varies from run to run):
 * RSS and heap after a warm-up and a full GC, half-way, and after the scenario. Each sample
 * waits until the RSS has settled after the GC: V8 returns the pages a full GC frees from its
 * background threads a few milliseconds after `gc()` returns, so a read at once would still
 * count tens of MiB of garbage already collected. The deltas still hold V8's young generation
 * growing to its working size (16 MiB more semi-space) during the scenario.
 *
 * tokens: `authenticate()` on N distinct valid tokens, each made and dropped in turn, so
 * only what the library keeps (its verified-token cache) can stay. The tokens are made on
 * the V8 heap alone ({@link heapToken}): signing with node:crypto as `makeToken` does leaves
 * malloc'd garbage per token (Hmac context, random bytes, Buffers), freed only when V8
 * collects its wrapper, which grows the allocator's arenas as if the library kept it.
 * logins: N failed logins, each for a distinct unknown username from a distinct client
 * address, so every one adds a rate-limit counter. The store is capped at N / 4 keys
 * ({@link loginKeyCap}) instead of its default 100 000, so that the run passes the cap well
 * before half-way and the half-way and final samples show whether it holds. The hasher is a
 * stub that answers "wrong password" at once: the state under test is the rate-limit store,
 * and 100 000 argon2id hashes would take the better part of an hour.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type Auth, createAuth, isAuthError, memoryStorage, type PasswordHasher } from '@auth/core';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AUDIENCE, forkChild, ISSUER, log, SECRET, SECRET_BYTES, settings } from './common.js';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}
/** One run of a scenario, in one process. */
export interface MemoryRun {
  before: MemorySample;
  /** After the first half: equal to `after` when the state is capped. */
  half: MemorySample;
  after: MemorySample;
  /** Highest RSS seen during the scenario (sampled every 1 000 steps), bytes. */
  peakRss: number;
  /** What the scenario saw, e.g. error codes of the logins. */
  note: string;
}
export interface MemoryResult {
  id: string;
  title: string;
  count: number;
  runs: MemoryRun[];
}

const stubHasher: PasswordHasher = {
  hash: async () => '$stub$v=1$bench',
  verify: async () => false,
  needsRehash: () => false,
};

let peakRss = 0;
/** Notes the RSS every 1 000 steps. */
function track(i: number): void {
  if (i % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
}

/** RSS readings 50 ms apart that differ by less than this are settled. */
const SETTLED = 2 ** 20;

/** A full GC, then the memory figures once the RSS has settled (at most 2 s). */
async function sample(): Promise<MemorySample> {
  (globalThis as { gc?: () => void }).gc!();
  let rss = process.memoryUsage.rss();
  for (let i = 0; i < 40; i++) {
    await delay(50);
    const now = process.memoryUsage.rss();
    const settled = i > 0 && Math.abs(now - rss) < SETTLED;
    rss = now;
    if (settled) break;
  }
  const { heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The HMAC state keyed with the secret, cloned for every token. */
const keyed = hmac.create(sha256, SECRET_BYTES);
const bytes = new Uint8Array(1024);
const tag = new Uint8Array(32);
let serial = 0;

/** Writes an ASCII string into `bytes`; returns its length. */
function ascii(text: string): number {
  if (text.length > bytes.length) throw new Error('token too long for the buffer');
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) throw new Error('token is not ASCII');
    bytes[i] = code;
  }
  return text.length;
}

/** Unpadded base64url of the first `length` bytes of `data`. */
function base64url(data: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 3) {
    const n = (data[i]! << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((length - i) * 4) / 3));
    for (let c = 0; c < chars; c++) out += BASE64URL[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** 16 random base64url characters, the length of `randomBytes(12)` in base64url. */
function randomId(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += BASE64URL[Math.floor(Math.random() * 64)];
  return out;
}

const HEADER = base64url(bytes, ascii(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })));

/**
 * A fresh HS256 access token with the claims and sizes of `makeToken('HS256')`, made on the
 * V8 heap alone: strings, a clone of one keyed HMAC state and reused byte buffers, so the
 * harness allocates no native memory per token and its garbage is V8's to collect.
 */
function heapToken(): string {
  const now = Math.floor(Date.now() / 1000);
  serial += 1;
  const payload = {
    roles: ['user'],
    sid: randomId(),
    iss: ISSUER,
    aud: AUDIENCE,
    sub: `user-${serial}`,
    iat: now,
    exp: now + 900,
    jti: randomId(),
  };
  const input = `${HEADER}.${base64url(bytes, ascii(JSON.stringify(payload)))}`;
  const mac = keyed.clone();
  mac.update(bytes.subarray(0, ascii(input)));
  mac.digestInto(tag);
  return `${input}.${base64url(tag, tag.length)}`;
}

/**
 * The rate-limit store's cap in the logins scenario of `n` steps: a quarter of them, so the
 * cap is reached at a quarter of the way and the second half runs entirely past it.
 */
export function loginKeyCap(n: number): number {
  return Math.max(1, Math.floor(n / 4));
}

function instance(maxRateLimitKeys?: number): Auth {
  return createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg: 'HS256', secret: SECRET },
    storage: memoryStorage({ maxRateLimitKeys }),
    password: { hasher: stubHasher },
  });
}

/** Scenario steps `from` ≤ i < `to`; each i is distinct from every other. */
const scenarios: Record<string, (auth: Auth, from: number, to: number) => Promise<string>> = {
  async tokens(auth, from, to) {
    for (let i = from; i < to; i++) {
      await auth.authenticate(`Bearer ${heapToken()}`);
      track(i);
    }
    return `${to - from} tokens verified`;
  },
  async logins(auth, from, to) {
    const codes = new Map<string, number>();
    for (let i = from; i < to; i++) {
      const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const code = await auth
        .login({ username: `user-${i}`, password: 'wrong password' }, { clientAddress: client })
        .then(
          () => 'ok',
          (error: unknown) => (isAuthError(error) ? error.code : 'other'),
        );
      codes.set(code, (codes.get(code) ?? 0) + 1);
      track(i);
    }
    return [...codes].map(([code, count]) => `${count} ${code}`).join(', ');
  },
};

async function child(id: string, n: number): Promise<void> {
  const auth = instance(id === 'logins' ? loginKeyCap(n) : undefined);
  const run = scenarios[id]!;
  const warm = 1000;
  await run(auth, 0, warm); // warm-up: keys imported, code compiled, caches touched
  const before = await sample();
  const first = await run(auth, warm, warm + n / 2);
  const half = await sample();
  const second = await run(auth, warm + n / 2, warm + n);
  const after = await sample();
  const note = `${first}; ${second}`;
  process.send!({ before, half, after, peakRss, note });
  process.disconnect();
}

/**
 * Processes run at once: the figures are each process's own memory, not a time, so two
 * processes on two cores measure the same as one after the other, in half the time.
 */
const PARALLEL = 2;

/** Runs every memory scenario, each run in its own process, {@link PARALLEL} at a time. */
export async function runMemory(): Promise<MemoryResult[]> {
  const titles: Record<string, string> = {
    tokens: 'authenticate() on distinct valid tokens',
    logins: 'failed logins, distinct usernames and clients',
  };
  const counts: Record<string, number> = {
    tokens: settings.memoryTokens,
    logins: settings.memoryLogins,
  };
  const jobs = Object.keys(scenarios).flatMap((id) =>
    Array.from({ length: settings.memoryRuns }, () => id),
  );
  const runs = new Map<string, MemoryRun[]>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const id = jobs[next++]!;
      const args = ['child', id, String(counts[id])];
      const run = await forkChild<MemoryRun>('./memory.ts', args, ['--expose-gc']).ready;
      runs.set(id, [...(runs.get(id) ?? []), run]);
      if (runs.get(id)!.length === settings.memoryRuns) log(`memory: ${id} done`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return Object.keys(scenarios).map((id) => ({
    id,
    title: titles[id]!,
    count: counts[id]!,
    runs: runs.get(id)!,
  }));
}

if (process.argv[2] === 'child') await child(process.argv[3]!, Number(process.argv[4]));
