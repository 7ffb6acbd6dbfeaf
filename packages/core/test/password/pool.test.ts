import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { argon2id } from '../../src/password/argon2id.js';
import { deriveKey } from '../../src/password/lib/derive.js';
import { workerPoolHasher } from '../../src/password/node/pool.js';
import { createWorkerPool, defaultPoolSize } from '../../src/password/node/worker-pool.js';
import type { KdfParams } from '../../src/password/params.js';
import { scrypt } from '../../src/password/scrypt.js';
import { FAST_ARGON2, FAST_SCRYPT, withFixedRandom } from './helpers.js';
import vectors from './vectors.json' with { type: 'json' };

const bytes = (text: string) => new TextEncoder().encode(text);
const pools: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

function track<T extends { close(): Promise<void> }>(pool: T): T {
  pools.push(pool);
  return pool;
}

const PARAMS: KdfParams[] = [
  { alg: 'argon2id', version: 0x13, m: 256, t: 2, p: 2 },
  { alg: 'argon2i', version: 0x13, m: 64, t: 1, p: 1 },
  { alg: 'argon2d', version: 0x10, m: 64, t: 3, p: 1 },
  { alg: 'scrypt', ln: 10, r: 8, p: 1 },
  { alg: 'scrypt', ln: 6, r: 3, p: 5 },
];

describe('worker pool', () => {
  it('sizes itself to leave a core to the main thread', () => {
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1);
    expect(defaultPoolSize()).toBeLessThanOrEqual(2);
  });

  it('runs the inline worker when the built one is absent (TypeScript sources)', async () => {
    const pool = track(createWorkerPool({ poolSize: 1 }));
    expect(pool.script).toBeUndefined(); // nothing is located or started before first use
    await pool.derive(PARAMS[1]!, bytes('pw'), new Uint8Array(16), 32);
    expect(pool.script).toBe('inline');
  });

  it('derives the same bytes as the pure path, for every algorithm', async () => {
    const pool = track(createWorkerPool({ poolSize: 2 }));
    const salt = new Uint8Array(16).fill(42);
    for (const params of PARAMS) {
      const password = bytes('pässwörd 🔑');
      const pure = await deriveKey(params, password, salt, 32);
      expect(await pool.derive(params, password, salt, 32)).toEqual(pure);
      expect([...password]).toEqual([...bytes('pässwörd 🔑')]); // the caller's copy is intact
    }
  });

  it('writes byte-identical PHC strings for a fixed salt', async () => {
    const hasher = track(
      workerPoolHasher({ poolSize: 1, argon2id: FAST_ARGON2, scrypt: FAST_SCRYPT }),
    );
    const scryptPool = track(
      workerPoolHasher({ poolSize: 1, algorithm: 'scrypt', scrypt: FAST_SCRYPT }),
    );
    const pooled = await withFixedRandom(9, () => hasher.hash('pw'));
    expect(pooled).toBe(await withFixedRandom(9, () => argon2id(FAST_ARGON2).hash('pw')));
    const pooledScrypt = await withFixedRandom(9, () => scryptPool.hash('pw'));
    expect(pooledScrypt).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(pooledScrypt).toBe(await withFixedRandom(9, () => scrypt(FAST_SCRYPT).hash('pw')));
  });

  it('verifies every supported scheme and refuses bad hashes on the main thread', async () => {
    const hasher = track(workerPoolHasher({ poolSize: 1, argon2id: FAST_ARGON2 }));
    for (const { hash, password } of [
      ...vectors.argon2.filter((v) => v.hash.includes('m=16,')),
      ...vectors.scrypt.filter((v) => !v.hash.includes('ln=16')),
    ]) {
      expect(await hasher.verify(hash, password)).toBe(true);
      expect(await hasher.verify(hash, `${password}?`)).toBe(false);
    }
    await expect(hasher.verify('$scrypt$ln=31,r=8,p=1$AAAA$AAAA', 'pw')).rejects.toMatchObject({
      code: 'unsupported_hash',
    });
    await expect(hasher.verify('$md5$x', 'pw')).rejects.toMatchObject({
      code: 'unsupported_hash',
    });
    expect(await hasher.dummyVerify('pw')).toBe(false);
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
  });

  it('queues more jobs than workers, FIFO, and completes them all', async () => {
    const pool = track(createWorkerPool({ poolSize: 2 }));
    const params = PARAMS[0]!;
    const salt = new Uint8Array(16).fill(1);
    await pool.derive(params, bytes('warm'), salt, 32); // locate the worker script first
    const order: number[] = [];
    const jobs = Array.from({ length: 12 }, (_, i) =>
      pool.derive(params, bytes(`pw${i}`), salt, 32).then((key) => {
        order.push(i);
        return key;
      }),
    );
    expect(pool.queued).toBe(10);
    const keys = await Promise.all(jobs);
    expect(new Set(keys.map((k) => k.join())).size).toBe(12);
    expect(keys[5]).toEqual(await deriveKey(params, bytes('pw5'), salt, 32));
    expect(order.sort((a, b) => a - b)).toEqual([...keys.keys()]);
    expect(pool.queued).toBe(0);
  });

  it('runs queued jobs first in, first out', async () => {
    const pool = track(createWorkerPool({ poolSize: 1 }));
    const order: number[] = [];
    const salt = new Uint8Array(16);
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        pool.derive(PARAMS[i % PARAMS.length]!, bytes(`${i}`), salt, 32).then(() => order.push(i)),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses jobs beyond the queue bound with rate_limited', async () => {
    const pool = track(createWorkerPool({ poolSize: 1, maxQueue: 2 }));
    const params = PARAMS[0]!;
    const salt = new Uint8Array(16);
    const accepted = [1, 2, 3].map((i) => pool.derive(params, bytes(`${i}`), salt, 32));
    await expect(pool.derive(params, bytes('4'), salt, 32)).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await Promise.all(accepted);
  });

  it('rejects waiting and later jobs once closed', async () => {
    const pool = createWorkerPool({ poolSize: 1 });
    const params = PARAMS[0]!;
    const salt = new Uint8Array(16);
    const jobs = [1, 2, 3].map((i) =>
      pool.derive(params, bytes(`${i}`), salt, 32).then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    );
    await pool.close();
    for (const outcome of await Promise.all(jobs)) {
      expect(outcome).toMatchObject({ code: 'internal_error' });
    }
    await expect(pool.derive(params, bytes('x'), salt, 32)).rejects.toMatchObject({
      code: 'internal_error',
    });
  });

  it('fails the job of a crashed worker and replaces the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hash-worker-'));
    const file = join(dir, 'crash.cjs');
    writeFileSync(
      file,
      `require('node:worker_threads').parentPort.on('message', () => process.exit(3));`,
    );
    const pool = track(createWorkerPool({ poolSize: 1, workerFile: file }));
    const salt = new Uint8Array(16);
    await expect(pool.derive(PARAMS[1]!, bytes('a'), salt, 32)).rejects.toThrow(/exited with 3/);
    await expect(pool.derive(PARAMS[1]!, bytes('b'), salt, 32)).rejects.toThrow(/exited with 3/);
    expect(pool.script).toBe('file');
    rmSync(dir, { recursive: true });
  });

  it('fails jobs, without hanging, when the worker cannot start', async () => {
    const salt = new Uint8Array(16);
    for (const workerFile of ['relative/worker.js', join(tmpdir(), 'no-such-hash-worker.cjs')]) {
      const pool = track(createWorkerPool({ poolSize: 1, workerFile }));
      await expect(pool.derive(PARAMS[1]!, bytes('a'), salt, 32)).rejects.toThrow();
      await expect(pool.derive(PARAMS[1]!, bytes('b'), salt, 32)).rejects.toThrow();
      expect(pool.queued).toBe(0);
    }
  });

  it('rejects a bad pool option with an AuthConfigError', () => {
    expect(() => createWorkerPool({ poolSize: 0 })).toThrow(
      expect.objectContaining({ option: 'password.poolSize' }),
    );
    expect(() => createWorkerPool({ maxQueue: -1 })).toThrow(
      expect.objectContaining({ option: 'password.maxQueue' }),
    );
  });

  it('keeps the event loop free while a default-cost argon2id hash runs', async () => {
    const hasher = track(workerPoolHasher({ poolSize: 1 })); // m=19456, t=2, p=1
    // Start the worker first, so the measurement covers hashing, not thread start-up.
    await hasher.pool.derive(PARAMS[1]!, bytes('warm'), new Uint8Array(16), 32);
    let done = false;
    const busy = performance.eventLoopUtilization();
    const hashing = hasher.hash('correct horse battery staple').then((hash) => {
      done = true;
      return hash;
    });
    const lateness: number[] = [];
    while (!done) {
      const scheduled = performance.now() + 5;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!done) lateness.push(performance.now() - scheduled);
    }
    const hash = await hashing;
    const utilization = performance.eventLoopUtilization(busy).utilization;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // Timers fire on time. The median, not the maximum: on a loaded CI box the OS may
    // deschedule the main thread once in a while, whatever runs in the pool.
    expect(lateness.length).toBeGreaterThanOrEqual(5);
    const median = lateness.sort((a, b) => a - b)[Math.floor(lateness.length / 2)]!;
    expect(median).toBeLessThan(50);
    // The main thread mostly idles: the hash runs elsewhere (the pure path would be ~100%).
    expect(utilization).toBeLessThan(0.5);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
  });
});
