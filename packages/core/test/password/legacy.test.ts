/**
 * Users migrating from FastAPI/passlib apps keep their hashes: fixed vectors produced by
 * passlib, bcrypt and argon2-cffi (see legacy-vectors.json for each vector's source) verify,
 * wrong passwords don't, and the first login replaces them with argon2id.
 */
import { describe, expect, it } from 'vitest';
import { bcryptVerifier } from '../../src/bcrypt.js';
import { AuthError } from '../../src/errors.js';
import { createHasher } from '../../src/password/hasher.js';
import { pbkdf2Verifier } from '../../src/password/legacy/pbkdf2.js';
import { harness } from '../helpers.js';
import vectors from './legacy-vectors.json' with { type: 'json' };

const hasher = createHasher();
const bcrypt = bcryptVerifier();

describe('imported hashes', () => {
  it.each(vectors.bcrypt)('bcrypt $hash', async ({ password, hash }) => {
    expect(bcrypt.supports(hash)).toBe(true);
    await expect(bcrypt.verify(hash, password)).resolves.toBe(true);
    await expect(bcrypt.verify(hash, `${password}x`)).resolves.toBe(false);
  });

  it.each(vectors.argon2)('argon2 (argon2-cffi) $hash', async ({ password, hash }) => {
    await expect(hasher.verify(hash, password)).resolves.toBe(true);
    await expect(hasher.verify(hash, 'wrong password')).resolves.toBe(false);
    expect(hasher.needsRehash(hash)).toBe(true);
  });

  it.each(vectors.pbkdf2_sha256)('passlib pbkdf2 $hash', async ({ password, hash }) => {
    await expect(hasher.verify(hash, password)).resolves.toBe(true);
    await expect(hasher.verify(hash, 'joshua')).resolves.toBe(false);
    expect(hasher.needsRehash(hash)).toBe(true);
  });

  it('refuses malformed and absurd-cost legacy hashes before any work', async () => {
    const pbkdf2 = pbkdf2Verifier();
    for (const hash of [
      '$pbkdf2-sha256$99999999$9t7be09prfXee2/NOUeotQ$Y.RDnnq8vsezSZSKy1QNy6xhKPdoBIwc.0XDdRm9sJ8',
      '$pbkdf2-sha256$29000$9t7be09prfXee2/NOUeotQ$short',
      '$pbkdf2-sha256$0$a$b',
    ]) {
      await expect(pbkdf2.verify(hash, 'password')).rejects.toMatchObject({
        code: 'unsupported_hash',
      });
    }
    for (const hash of [
      '$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
      '$2b$05$tooshort',
    ]) {
      await expect(bcrypt.verify(hash, 'U*U')).rejects.toBeInstanceOf(AuthError);
    }
  });

  it('an unknown format fails closed', async () => {
    await expect(hasher.verify('$md5-crypt$abc', 'x')).rejects.toMatchObject({
      code: 'unsupported_hash',
    });
    await expect(hasher.verify('plaintext', 'plaintext')).rejects.toMatchObject({
      code: 'unsupported_hash',
    });
  });
});

describe('migration at login', () => {
  it.each([
    ['bcrypt', vectors.bcrypt[3]!],
    ['argon2i', vectors.argon2[2]!],
    ['pbkdf2-sha256', vectors.pbkdf2_sha256[0]!],
  ])('a %s user logs in and is rehashed to argon2id', async (_name, vector) => {
    const h = harness({
      password: {
        hasher: createHasher({ current: (await import('../helpers.js')).cheapHasher() }),
        verifiers: [bcryptVerifier()],
      },
    });
    const now = h.clock.now();
    await h.storage.users.createUser({
      id: 'imported-1',
      username: 'legacy',
      usernameKey: 'legacy',
      passwordHash: vector.hash,
      roles: ['user'],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    await expect(
      h.auth.login({ username: 'legacy', password: `${vector.password}!` }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/invalid_credentials|invalid_request/),
    });
    const tokens = await h.auth
      .login({ username: 'legacy', password: vector.password })
      .catch((e: AuthError) => e);
    if (vector.password.length < 8) {
      // Login does not apply the registration minimum: old short passwords still work.
      expect(tokens).not.toBeInstanceOf(AuthError);
    }
    const stored = await h.storage.users.findUserById('imported-1');
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(
      h.auth.login({ username: 'legacy', password: vector.password }),
    ).resolves.toBeDefined();
  });
});
