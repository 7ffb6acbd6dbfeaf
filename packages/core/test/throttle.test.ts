/**
 * Login throttling under concurrency: the limits hold for bursts within one process, across
 * several processes sharing one store, and on the per-client and per-username counters; an
 * attempt counts only as what it turned out to be.
 */
import { describe, expect, it } from 'vitest';
import type { AuthOptions } from '../src/config.js';
import type { AuthError } from '../src/errors.js';
import type { PasswordHasher } from '../src/password/types.js';
import { cheapHasher, harness } from './helpers.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as AuthError).code;
  }
}

/** A hasher whose checks finish only after every attempt of a burst has started one. */
function slowHasher(): PasswordHasher & { verified: number } {
  const inner = cheapHasher();
  const hasher = {
    verified: 0,
    hash: inner.hash,
    needsRehash: inner.needsRehash,
    async verify(hash: string, password: string) {
      hasher.verified++;
      await new Promise((resolve) => setImmediate(resolve));
      return inner.verify(hash, password);
    },
  };
  return hasher;
}

/** `count` auth instances ("processes") on one store and one clock. */
function instances(count: number, options: Partial<AuthOptions>) {
  const first = harness(options);
  const rest = Array.from({ length: count - 1 }, () =>
    harness({ ...options, storage: first.storage, clock: first.clock }),
  );
  return [first, ...rest];
}

const tally = (codes: string[]) => ({
  failed: codes.filter((c) => c === 'invalid_credentials').length,
  limited: codes.filter((c) => c === 'rate_limited').length,
});

describe('login throttling under concurrency', () => {
  it('holds the limit for a burst spread over several processes sharing the store', async () => {
    const hasher = slowHasher();
    const auths = instances(4, {
      rateLimit: { maxAttempts: 3, window: 60 },
      password: { hasher },
    });
    await auths[0]!.auth.register({ username: 'hank', password: 'password-1' });
    hasher.verified = 0;
    const from = { clientAddress: '203.0.113.9' };
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(auths[i % 4]!.auth.login({ username: 'hank', password: `nope-${i}-x` }, from)),
      ),
    );
    expect(tally(codes)).toEqual({ failed: 3, limited: 17 });
    expect(hasher.verified).toBe(3);
  });

  it('holds the per-client limit for a burst of distinct usernames', async () => {
    const hasher = slowHasher();
    const { auth } = harness({
      rateLimit: { maxAttempts: 2, window: 60, perClientMultiplier: 3 },
      password: { hasher },
    });
    const from = { clientAddress: '203.0.113.7' };
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(auth.login({ username: `user-${i}`, password: 'whatever1' }, from)),
      ),
    );
    expect(tally(codes)).toEqual({ failed: 6, limited: 14 });
  });

  it('holds the per-username ceiling for a burst from many clients', async () => {
    const { auth } = harness({
      rateLimit: { maxAttempts: 2, window: 60, perUsernameCeiling: 5 },
      password: { hasher: slowHasher() },
    });
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(
          auth.login({ username: 'hank', password: 'whatever1' }, { clientAddress: `10.0.0.${i}` }),
        ),
      ),
    );
    expect(tally(codes)).toEqual({ failed: 5, limited: 15 });
  });

  it('gives back the places of successful logins: only failures count', async () => {
    const { auth } = harness({
      rateLimit: { maxAttempts: 1, window: 60, perClientMultiplier: 2, perUsernameCeiling: 2 },
    });
    const from = { clientAddress: '203.0.113.5' };
    for (let i = 0; i < 4; i++) {
      await auth.register({ username: `user-${i}`, password: 'password-1' });
    }
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        await expect(
          auth.login({ username: `user-${i}`, password: 'password-1' }, from),
        ).resolves.toBeDefined();
      }
    }
    // Two failures fill this client's counter; a third username is then refused.
    expect(await codeOf(auth.login({ username: 'user-0', password: 'wrong-pass' }, from))).toBe(
      'invalid_credentials',
    );
    expect(await codeOf(auth.login({ username: 'user-1', password: 'wrong-pass' }, from))).toBe(
      'invalid_credentials',
    );
    expect(await codeOf(auth.login({ username: 'user-2', password: 'password-1' }, from))).toBe(
      'rate_limited',
    );
  });

  it('does not count an attempt that failed for the server (the store or the hasher)', async () => {
    let broken = true;
    const inner = cheapHasher();
    const { auth } = harness({
      rateLimit: { maxAttempts: 1, window: 60 },
      password: {
        hasher: {
          ...inner,
          verify: (hash, password) =>
            broken ? Promise.reject(new Error('hasher down')) : inner.verify(hash, password),
        },
      },
    });
    await auth.register({ username: 'hank', password: 'password-1' });
    const from = { clientAddress: '203.0.113.4' };
    await expect(auth.login({ username: 'hank', password: 'password-1' }, from)).rejects.toThrow(
      'hasher down',
    );
    broken = false;
    await expect(auth.login({ username: 'hank', password: 'password-1' }, from)).resolves.toEqual(
      expect.objectContaining({ token_type: 'Bearer' }),
    );
  });
});

describe('login throttling by default: per username and client only', () => {
  it("one client's failures on many usernames never refuse another username's right password", async () => {
    const { auth } = harness({ rateLimit: { maxAttempts: 2, window: 60 } });
    await auth.register({ username: 'quinn', password: 'password-1' });
    const from = { clientAddress: '203.0.113.40' };
    // 2 failures on each of 150 usernames: 300, far past any 20× ceiling.
    for (let i = 0; i < 150; i++) {
      for (let n = 0; n < 2; n++) {
        expect(
          await codeOf(auth.login({ username: `ghost-${i}`, password: 'nope-nope' }, from)),
        ).toBe('invalid_credentials');
      }
    }
    expect(await codeOf(auth.login({ username: 'ghost-0', password: 'nope-nope' }, from))).toBe(
      'rate_limited',
    );
    expect(await codeOf(auth.login({ username: 'quinn', password: 'password-1' }, from))).toBe(
      'ok',
    );
  });

  it("failures on one username from many clients never refuse another client's right password", async () => {
    const { auth } = harness({ rateLimit: { maxAttempts: 2, window: 60 } });
    await auth.register({ username: 'rita', password: 'password-1' });
    for (let i = 0; i < 100; i++) {
      const from = { clientAddress: `10.1.${i >> 4}.${i & 15}` };
      for (let n = 0; n < 2; n++) {
        expect(await codeOf(auth.login({ username: 'rita', password: 'nope-nope' }, from))).toBe(
          'invalid_credentials',
        );
      }
    }
    const fresh = { clientAddress: '198.51.100.1' };
    expect(await codeOf(auth.login({ username: 'rita', password: 'password-1' }, fresh))).toBe(
      'ok',
    );
  });

  it('a login of unknown client is counted per username, at 20× the limit or the ceiling set', async () => {
    for (const [rateLimit, max] of [
      [{ maxAttempts: 2, window: 60 }, 40],
      [{ maxAttempts: 2, window: 60, perUsernameCeiling: 7 }, 7],
    ] as const) {
      const { auth } = harness({ rateLimit });
      await auth.register({ username: 'sam', password: 'password-1' });
      for (let i = 0; i < max; i++) {
        expect(await codeOf(auth.login({ username: 'sam', password: 'nope-nope' }))).toBe(
          'invalid_credentials',
        );
      }
      expect(await codeOf(auth.login({ username: 'sam', password: 'password-1' }))).toBe(
        'rate_limited',
      );
      // A known client is counted by its own pair, not by the unknown clients' counter.
      const from = { clientAddress: '198.51.100.2' };
      expect(await codeOf(auth.login({ username: 'sam', password: 'password-1' }, from))).toBe(
        rateLimit.perUsernameCeiling === undefined ? 'ok' : 'rate_limited',
      );
    }
  });
});
