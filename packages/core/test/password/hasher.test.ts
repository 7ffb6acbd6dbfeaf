import { describe, expect, it } from 'vitest';
import { argon2id } from '../../src/password/argon2id.js';
import { createDummyVerify } from '../../src/password/dummy.js';
import { createHasher } from '../../src/password/hasher.js';
import type { SchemeHasher } from '../../src/password/scheme.js';
import { scrypt } from '../../src/password/scrypt.js';
import type { PasswordHasher } from '../../src/password/types.js';
import { FAST_ARGON2, FAST_SCRYPT } from './helpers.js';
import vectors from './vectors.json' with { type: 'json' };

/** Wraps a hasher, counting hash and verify calls. */
function counting(inner: SchemeHasher): SchemeHasher & { hashes: number; verifies: number } {
  const counted = {
    ...inner,
    hashes: 0,
    verifies: 0,
    hash(password: string) {
      counted.hashes++;
      return inner.hash(password);
    },
    verify(hash: string, password: string) {
      counted.verifies++;
      return inner.verify(hash, password);
    },
  };
  return counted;
}

describe('createHasher', () => {
  const hasher = createHasher({ current: argon2id(FAST_ARGON2) });

  it('writes the current scheme and verifies every supported one', async () => {
    const hash = await hasher.hash('pw');
    expect(hash.startsWith('$argon2id$v=19$m=256,t=1,p=1$')).toBe(true);
    expect(await hasher.verify(hash, 'pw')).toBe(true);
    const legacy = await scrypt(FAST_SCRYPT).hash('pw');
    expect(await hasher.verify(legacy, 'pw')).toBe(true);
    expect(await hasher.verify(legacy, 'wrong')).toBe(false);
    for (const { hash: h, password } of vectors.argon2.filter((v) => v.hash.includes('m=16,'))) {
      expect(await hasher.verify(h, password)).toBe(true);
    }
  });

  it('throws unsupported_hash for unknown formats', async () => {
    for (const hash of [
      '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      // sha512-crypt: not a format we read (passlib pbkdf2 is, see legacy.test.ts).
      '$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21',
      'plaintext',
      '',
    ]) {
      await expect(hasher.verify(hash, 'pw')).rejects.toMatchObject({ code: 'unsupported_hash' });
    }
  });

  it('asks for a rehash of anything the current scheme would not write', async () => {
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
    expect(hasher.needsRehash(await scrypt(FAST_SCRYPT).hash('pw'))).toBe(true);
    expect(hasher.needsRehash(await argon2id({ memoryCost: 128, timeCost: 1 }).hash('pw'))).toBe(
      true,
    );
    expect(hasher.needsRehash('$2b$10$whatever')).toBe(true);
  });

  it('can write scrypt and still read Argon2', async () => {
    const s = createHasher({ current: scrypt(FAST_SCRYPT) });
    expect(await s.hash('pw')).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(await s.verify(await argon2id(FAST_ARGON2).hash('pw'), 'pw')).toBe(true);
  });

  it('limits verification to the verifiers given', async () => {
    const only = createHasher({ current: argon2id(FAST_ARGON2), verifiers: [] });
    const legacy = await scrypt(FAST_SCRYPT).hash('pw');
    await expect(only.verify(legacy, 'pw')).rejects.toMatchObject({ code: 'unsupported_hash' });
  });

  it('defaults to argon2id at the OWASP minimum', () => {
    const stored = `$argon2id$v=19$m=19456,t=2,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
    expect(createHasher().needsRehash(stored)).toBe(false);
  });
});

describe('dummy verify', () => {
  it('forges the dummy in the current scheme without hashing, then runs one verification per call', async () => {
    const current = counting(argon2id(FAST_ARGON2));
    const hasher = createHasher({ current });
    expect(await hasher.dummyVerify('guess')).toBe(false);
    expect(await hasher.dummyVerify('another guess')).toBe(false);
    await Promise.all([hasher.dummyVerify('a'), hasher.dummyVerify('b')]);
    expect(current.hashes).toBe(0);
    expect(current.verifies).toBe(4);
  });

  it('forges dummies with the current costs and lengths, a random salt and key, that no password matches', async () => {
    for (const current of [argon2id(FAST_ARGON2), scrypt(FAST_SCRYPT)]) {
      const hasher = createHasher({ current });
      const real = await hasher.hash('pw');
      const [a, b] = [hasher.dummyHash?.(), hasher.dummyHash?.()];
      expect(a).toBeDefined();
      expect(a).not.toBe(b);
      // Same scheme, costs, salt and key lengths as a real hash: verifying costs the same.
      const shape = (hash: string) =>
        hash.split('$').map((part, i, all) => (i < all.length - 2 ? part : part.length));
      expect(shape(a as string)).toEqual(shape(real));
      expect(hasher.needsRehash(a as string)).toBe(false);
      expect(await hasher.verify(a as string, 'pw')).toBe(false);
      expect(await hasher.verify(a as string, '')).toBe(false);
    }
  });

  it('without a forger, hashes only once under concurrent first calls, and retries a failed hash', async () => {
    let fail = true;
    let hashes = 0;
    // A custom hasher with no `dummyHash`: the dummy is a hash of a random password.
    const { dummyHash: _forge, ...inner } = argon2id(FAST_ARGON2);
    const flaky: PasswordHasher = {
      ...inner,
      hash(password) {
        hashes++;
        if (fail) return Promise.reject(new Error('boom'));
        return inner.hash(password);
      },
    };
    const dummy = createDummyVerify(flaky);
    await expect(Promise.all([dummy('a'), dummy('b')])).rejects.toThrow('boom');
    expect(hashes).toBe(1);
    fail = false;
    expect(await dummy('c')).toBe(false);
    expect(await dummy('d')).toBe(false);
    expect(hashes).toBe(2);
  });

  it('refuses an over-long password like a real verification', async () => {
    const hasher = createHasher({ current: argon2id({ ...FAST_ARGON2, maxPasswordLength: 8 }) });
    await expect(hasher.dummyVerify('123456789')).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
