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
