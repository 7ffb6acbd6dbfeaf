import { scryptSync } from 'node:crypto';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/errors.js';
import { SCRYPT_DEFAULTS, scrypt } from '../../src/password/scrypt.js';
import { FAST_SCRYPT, isCheap, withFixedRandom } from './helpers.js';
import vectors from './vectors.json' with { type: 'json' };

describe('scrypt', () => {
  const hasher = scrypt(FAST_SCRYPT);

  it('hashes to a passlib PHC string and verifies it', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'Correct horse battery staple')).toBe(false);
  });

  it('defaults to the OWASP costs', () => {
    expect(SCRYPT_DEFAULTS).toMatchObject({ cost: 2 ** 17, blockSize: 8, parallelism: 1 });
    const stored = `$scrypt$ln=17,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
    expect(scrypt().needsRehash(stored)).toBe(false);
    expect(scrypt().needsRehash(stored.replace('ln=17', 'ln=16'))).toBe(true);
  });

  it('is deterministic for a fixed salt', async () => {
    const a = await withFixedRandom(3, () => hasher.hash('pw'));
    expect(a).toBe(await withFixedRandom(3, () => hasher.hash('pw')));
    expect(a.split('$')[3]).toBe('AwMDAwMDAwMDAwMDAwMDAw');
  });

  it.each(vectors.scrypt)('verifies the $source vector $hash', async ({ password, hash }) => {
    expect(await hasher.verify(hash, password)).toBe(true);
    // A wrong password costs as much again: checked on the cheap vectors only.
    if (isCheap(hash)) expect(await hasher.verify(hash, `${password}.`)).toBe(false);
  });

  it('does not normalise passwords', async () => {
    const nfd = vectors.scrypt.find((v) => v.password === 'Cafe\u0301')!;
    expect(await hasher.verify(nfd.hash, 'Cafe\u0301')).toBe(true);
    expect(await hasher.verify(nfd.hash, 'Caf\u00e9')).toBe(false);
  });

  it('flags other costs and lengths for rehash', async () => {
    const hash = await hasher.hash('pw');
    expect(hasher.needsRehash(hash)).toBe(false);
    for (const v of [
      hash.replace('ln=10', 'ln=11'),
      hash.replace('r=8', 'r=4'),
      hash.replace('p=1', 'p=2'),
      await scrypt({ ...FAST_SCRYPT, hashLength: 16 }).hash('pw'),
      '$argon2id$v=19$m=256,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect(hasher.needsRehash(v)).toBe(true);
    }
  });

  it('refuses Argon2 hashes', async () => {
    const argon = '$argon2id$v=19$m=256,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA';
    await expect(hasher.verify(argon, 'pw')).rejects.toMatchObject({ code: 'unsupported_hash' });
  });

  it('matches node:crypto scrypt (OpenSSL) byte for byte', () => {
    const salt = new Uint8Array(16).fill(5);
    for (const [N, r, p, dkLen] of [
      [2 ** 10, 8, 1, 32],
      [2 ** 11, 4, 3, 64],
      [2 ** 4, 1, 16, 16],
    ] as const) {
      const noble = nobleScrypt('pässword', salt, { N, r, p, dkLen });
      const node = scryptSync('pässword', salt, dkLen, { N, r, p, maxmem: 2 ** 26 });
      expect(noble).toEqual(new Uint8Array(node));
    }
  });

  it.each([
    ['cost', { cost: 1000 }],
    ['cost', { cost: 1 }],
    ['cost', { cost: 2 ** 21 }],
    ['blockSize', { blockSize: 0 }],
    ['blockSize', { blockSize: 33 }],
    ['parallelism', { parallelism: 17 }],
    ['parallelism', { cost: 2 ** 20, parallelism: 2 }],
    ['saltLength', { saltLength: 65 }],
    ['hashLength', { hashLength: 8 }],
  ])('rejects a bad %s with an AuthConfigError', (name, opts) => {
    expect(() => scrypt(opts)).toThrow(AuthConfigError);
    expect(() => scrypt(opts)).toThrow(expect.objectContaining({ option: `password.${name}` }));
  });
});
