import { describe, expect, it } from 'vitest';
import { AuthConfigError, AuthError } from '../../src/errors.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { memoryRateLimitStore } from '../../src/storage/memory-rate-limits.js';
import type { UserRecord } from '../../src/storage/types.js';
import { storageContract, storageContractCases } from '../../src/testing/index.js';

storageContract({ name: 'memory', create: () => memoryStorage() });

const T0 = 1_767_225_600_000;
const MINUTE = 60_000;

function user(id: string): UserRecord {
  return {
    id,
    username: id,
    usernameKey: id.toLowerCase(),
    passwordHash: 'hash',
    roles: ['user'],
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
  };
}

describe('memoryStorage', () => {
  it('rejects a maxRateLimitKeys that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => memoryStorage({ maxRateLimitKeys: bad })).toThrow(AuthConfigError);
    }
  });

  it('evicts the key hit longest ago when the key cap is reached', async () => {
    const { rateLimits } = memoryStorage({ maxRateLimitKeys: 3 });
    for (const key of ['a', 'b', 'c']) await rateLimits.hit(key, MINUTE, T0, 5);
    await rateLimits.hit('a', MINUTE, T0 + 1, 5); // a hit makes a key the newest
    await rateLimits.hit('d', MINUTE, T0 + 2, 5);
    expect(await rateLimits.peek('b', T0 + 3)).toBeNull();
    for (const key of ['a', 'c', 'd']) expect(await rateLimits.peek(key, T0 + 3)).not.toBeNull();
    expect(await rateLimits.peek('a', T0 + 3)).toEqual({ count: 2, resetAt: T0 + MINUTE });
  });

  it('evicts ended windows before the oldest open one', async () => {
    const rateLimits = memoryRateLimitStore({ maxKeys: 3 });
    await rateLimits.hit('a', 10 * MINUTE, T0, 5);
    await rateLimits.hit('b', MINUTE, T0, 5);
    await rateLimits.hit('c', 10 * MINUTE, T0, 5);
    await rateLimits.hit('d', 10 * MINUTE, T0 + 2 * MINUTE, 5);
    expect(await rateLimits.peek('b', T0 + 1)).toBeNull();
    for (const key of ['a', 'c', 'd']) {
      expect(await rateLimits.peek(key, T0 + 2 * MINUTE)).not.toBeNull();
    }
  });

  it('never holds more windows than the cap', async () => {
    const rateLimits = memoryRateLimitStore({ maxKeys: 50 });
    for (let i = 0; i < 500; i++) await rateLimits.hit(`k${i}`, MINUTE * (1 + (i % 7)), T0 + i, 5);
    expect(await rateLimits.prune(Number.MAX_SAFE_INTEGER)).toBe(50);
  });

  it('frees a sixteenth of the cap at once when a new key finds the store full', async () => {
    const rateLimits = memoryRateLimitStore({ maxKeys: 64 });
    for (let i = 0; i < 64; i++) await rateLimits.hit(`k${i}`, MINUTE, T0 + i, 5);
    await rateLimits.hit('k0', MINUTE, T0 + 64, 5); // a hit makes a key the newest
    await rateLimits.hit('new', MINUTE, T0 + 65, 5);
    // The four keys hit longest ago went; the next three new keys free nothing.
    for (const key of ['k1', 'k2', 'k3', 'k4'])
      expect(await rateLimits.peek(key, T0 + 66)).toBeNull();
    for (const key of ['k0', 'k5', 'k63', 'new']) {
      expect(await rateLimits.peek(key, T0 + 66)).not.toBeNull();
    }
    for (const key of ['n1', 'n2', 'n3']) await rateLimits.hit(key, MINUTE, T0 + 66, 5);
    expect(await rateLimits.peek('k5', T0 + 67)).not.toBeNull();
    await rateLimits.hit('n4', MINUTE, T0 + 67, 5);
    expect(await rateLimits.peek('k5', T0 + 68)).toBeNull();
    expect(await rateLimits.prune(Number.MAX_SAFE_INTEGER)).toBe(61);
  });

  it('refuses a window that is not a positive duration, or a limit that is not a positive integer', async () => {
    const { rateLimits } = memoryStorage();
    await expect(rateLimits.hit('k', 0, T0, 5)).rejects.toThrow(RangeError);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(rateLimits.hit('k', MINUTE, T0, limit)).rejects.toThrow(RangeError);
    }
  });

  it('keeps a hit made with the clock set back in order', async () => {
    const rateLimits = memoryRateLimitStore();
    await rateLimits.hit('k', MINUTE, T0 + 10_000, 5);
    await rateLimits.hit('k', MINUTE, T0, 5);
    expect(await rateLimits.peek('k', T0)).toEqual({ count: 2, resetAt: T0 + MINUTE });
    expect(await rateLimits.peek('k', T0 + MINUTE)).toEqual({
      count: 1,
      resetAt: T0 + 10_000 + MINUTE,
    });
  });

  it('returns frozen records that the caller cannot change', async () => {
    const storage = memoryStorage();
    const created = await storage.users.createUser(user('Frozen'));
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.roles)).toBe(true);
    expect(() => (created.roles as string[]).push('admin')).toThrow(TypeError);
    await storage.sessions.createFamily(
      { id: 'f', userId: 'Frozen', createdAt: T0 },
      { tokenHash: 'h', expiresAt: T0 + MINUTE },
    );
    expect(Object.isFrozen(await storage.sessions.findFamily('f'))).toBe(true);
    expect(Object.isFrozen(await storage.sessions.findToken('h'))).toBe(true);
    expect(Object.isFrozen(await storage.rateLimits.hit('k', MINUTE, T0, 5))).toBe(true);
  });

  it('keeps only the known fields of a user', async () => {
    const { users } = memoryStorage();
    await users.createUser({ ...user('Extra'), ...{ secret: 'x' } });
    expect(await users.findUserById('Extra')).not.toHaveProperty('secret');
  });

  it('ignores undefined fields of a patch', async () => {
    const { users } = memoryStorage();
    await users.createUser(user('Patched'));
    const updated = await users.updateUser('Patched', { passwordHash: undefined }, T0 + 1);
    expect(updated).toEqual({ ...user('Patched'), updatedAt: T0 + 1 });
  });

  it('refuses a duplicate user id or token hash', async () => {
    const { users, sessions } = memoryStorage();
    await users.createUser(user('Same'));
    await expect(users.createUser({ ...user('Same'), usernameKey: 'other' })).rejects.toThrow(
      AuthError,
    );
    await sessions.createFamily(
      { id: 'f', userId: 'Same', createdAt: T0 },
      {
        tokenHash: 'h',
        expiresAt: T0 + MINUTE,
      },
    );
    const reused = { tokenHash: 'h', expiresAt: T0 + MINUTE };
    await expect(sessions.spendToken('h', reused, T0)).rejects.toThrow(AuthError);
    expect(await sessions.findToken('h')).toMatchObject({ spentAt: null });
  });

  it('keeps a revoked family until it expires, then prunes it with its tokens', async () => {
    const { sessions } = memoryStorage();
    await sessions.createFamily(
      { id: 'f', userId: 'u', createdAt: T0 },
      {
        tokenHash: 'h',
        expiresAt: T0 + MINUTE,
      },
    );
    await sessions.revokeFamily('f', T0 + 1);
    expect(await sessions.prune(T0 + 2)).toBe(0);
    expect((await sessions.spendToken('h', { tokenHash: 'n', expiresAt: T0 }, T0 + 3)).status).toBe(
      'revoked',
    );
    expect(await sessions.prune(T0 + MINUTE)).toBe(2);
    expect(await sessions.findFamily('f')).toBeNull();
  });
});

describe('storageContract', () => {
  it('names every case uniquely', () => {
    expect(new Set(storageContractCases).size).toBe(storageContractCases.length);
    expect(storageContractCases.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses a skip without a reason or of an unknown case', () => {
    const create = () => memoryStorage();
    const name = storageContractCases[0]!;
    expect(() => storageContract({ name: 'x', create, skip: { [name]: ' ' } })).toThrow(TypeError);
    const unknown: Record<string, string> = { 'no such case': 'why' };
    expect(() => storageContract({ name: 'x', create, skip: unknown })).toThrow(TypeError);
  });
});
