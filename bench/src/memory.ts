/**
 * 4. Memory stays bounded. Each scenario runs in fresh child processes with `--expose-gc`
 * (3 in full mode; RSS also holds what the allocator keeps, which varies from run to run):
 * RSS and heap after a warm-up and a full GC, half-way, and after the scenario.
 *
 * tokens: `authenticate()` on N distinct valid tokens, each made and dropped in turn, so
 * only what the library keeps (its verified-token cache) can stay.
 * logins: N failed logins, each for a distinct unknown username from a distinct client
 * address, so every one adds rate-limit counters. The hasher is a stub that answers
 * "wrong password" at once: the state under test is the rate-limit store, and 100 000
 * argon2id hashes would take the better part of an hour.
 */
import { type Auth, createAuth, isAuthError, memoryStorage, type PasswordHasher } from '@auth/core';
import { AUDIENCE, forkChild, ISSUER, log, makeToken, SECRET, settings } from './common.js';

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

function sample(): MemorySample {
  (globalThis as { gc?: () => void }).gc!();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

function instance(): Auth {
  return createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg: 'HS256', secret: SECRET },
    storage: memoryStorage(),
    password: { hasher: stubHasher },
  });
}

/** Scenario steps `from` ≤ i < `to`; each i is distinct from every other. */
const scenarios: Record<string, (auth: Auth, from: number, to: number) => Promise<string>> = {
  async tokens(auth, from, to) {
    for (let i = from; i < to; i++) {
      await auth.authenticate(`Bearer ${makeToken('HS256')}`);
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
  const auth = instance();
  const run = scenarios[id]!;
  const warm = 1000;
  await run(auth, 0, warm); // warm-up: keys imported, code compiled, caches touched
  const before = sample();
  const first = await run(auth, warm, warm + n / 2);
  const half = sample();
  const second = await run(auth, warm + n / 2, warm + n);
  const after = sample();
  const note = `${first}; ${second}`;
  process.send!({ before, half, after, peakRss, note });
  process.disconnect();
}

/** Runs every memory scenario, each in its own process. */
export async function runMemory(): Promise<MemoryResult[]> {
  const titles: Record<string, string> = {
    tokens: 'authenticate() on distinct valid tokens',
    logins: 'failed logins, distinct usernames and clients',
  };
  const counts: Record<string, number> = {
    tokens: settings.memoryTokens,
    logins: settings.memoryLogins,
  };
  const out: MemoryResult[] = [];
  for (const id of Object.keys(scenarios)) {
    const count = counts[id]!;
    const runs: MemoryRun[] = [];
    for (let i = 0; i < settings.memoryRuns; i++) {
      const args = ['child', id, String(count)];
      runs.push(await forkChild<MemoryRun>('./memory.ts', args, ['--expose-gc']).ready);
    }
    out.push({ id, title: titles[id]!, count, runs });
    log(`memory: ${id} done`);
  }
  return out;
}

if (process.argv[2] === 'child') await child(process.argv[3]!, Number(process.argv[4]));
