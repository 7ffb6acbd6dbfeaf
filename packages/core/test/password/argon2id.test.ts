import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/errors.js';
import { ARGON2ID_DEFAULTS, argon2id } from '../../src/password/argon2id.js';
import { deriveKey } from '../../src/password/lib/derive.js';
import { decodeHash } from '../../src/password/params.js';
import { FAST_ARGON2, isCheap, withFixedRandom } from './helpers.js';
import vectors from './vectors.json' with { type: 'json' };

const PHC = /^\$argon2id\$v=19\$m=256,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

describe('argon2id', () => {
  const hasher = argon2id(FAST_ARGON2);

  it('hashes to an argon2-cffi PHC string and verifies it', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(PHC);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
    expect(await hasher.verify(hash, '')).toBe(false);
  });

  it('salts every hash afresh', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('defaults to the OWASP minimum costs', () => {
    expect(ARGON2ID_DEFAULTS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    // A default-cost hash itself runs in pool.test.ts; here only its parameters.
    const stored = `$argon2id$v=19$m=19456,t=2,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
    expect(argon2id().needsRehash(stored)).toBe(false);
  });

  it('is deterministic for a fixed salt', async () => {
    const a = await withFixedRandom(7, () => hasher.hash('pw'));
    const b = await withFixedRandom(7, () => hasher.hash('pw'));
    expect(a).toBe(b);
    const { salt, hash } = decodeHash(a);
    expect([...salt]).toEqual(new Array(16).fill(7));
    const key = await deriveKey(
      { alg: 'argon2id', version: 0x13, m: 256, t: 1, p: 1 },
      new TextEncoder().encode('pw'),
      salt,
      32,
    );
    expect(key).toEqual(hash);
  });

  it.each(vectors.argon2)('verifies the $source vector $hash', async ({ password, hash }) => {
    expect(await hasher.verify(hash, password)).toBe(true);
    // A wrong password costs as much again: checked on the cheap vectors only.
    if (isCheap(hash)) expect(await hasher.verify(hash, `${password}!`)).toBe(false);
  });

  it('reads costs from the hash and flags other costs for rehash', async () => {
    const other = argon2id({ memoryCost: 512, timeCost: 2, parallelism: 2, hashLength: 16 });
    const hash = await other.hash('pw');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=512,t=2,p=2\$[^$]{22}\$[^$]{22}$/);
    expect(await hasher.verify(hash, 'pw')).toBe(true);
    expect(other.needsRehash(hash)).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
  });

  it('flags every differing parameter, variant and version', async () => {
    const hash = await hasher.hash('pw');
    const variants = [
      hash.replace('m=256', 'm=512'),
      hash.replace('t=1', 't=2'),
      hash.replace('p=1', 'p=2'),
      hash.replace('$argon2id$', '$argon2i$'),
      hash.replace('$argon2id$', '$argon2d$'),
      hash.replace('v=19', 'v=16'),
      await argon2id({ ...FAST_ARGON2, saltLength: 32 }).hash('pw'),
      await argon2id({ ...FAST_ARGON2, hashLength: 64 }).hash('pw'),
      '$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA',
      'not a hash',
    ];
    for (const v of variants) expect(hasher.needsRehash(v)).toBe(true);
  });

  it('refuses other schemes and malformed hashes', async () => {
    for (const hash of [
      '$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA',
      '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      '$argon2id$v=19$m=256,t=1,p=1$$',
      '',
    ]) {
      await expect(hasher.verify(hash, 'pw')).rejects.toMatchObject({ code: 'unsupported_hash' });
    }
  });

  it.each([
    ['memoryCost', { memoryCost: 7 }],
    ['memoryCost', { memoryCost: 2 ** 21 + 1 }],
    ['memoryCost', { memoryCost: 63, parallelism: 8 }],
    ['memoryCost', { memoryCost: 1.5 }],
    ['timeCost', { timeCost: 0 }],
    ['timeCost', { memoryCost: 2 ** 21, timeCost: 3 }],
    ['parallelism', { parallelism: 0 }],
    ['parallelism', { parallelism: 65 }],
    ['saltLength', { saltLength: 8 }],
    ['hashLength', { hashLength: 65 }],
    ['maxPasswordLength', { maxPasswordLength: 0 }],
    ['memoryCost', { memoryCost: '19456' as unknown as number }],
  ])('rejects a bad %s with an AuthConfigError', (name, opts) => {
    expect(() => argon2id(opts)).toThrow(AuthConfigError);
    expect(() => argon2id(opts)).toThrow(expect.objectContaining({ option: `password.${name}` }));
  });
});
