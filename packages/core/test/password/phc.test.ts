import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import { argon2idSpec } from '../../src/password/argon2id.js';
import { createKdfHasher } from '../../src/password/lib/kdf-hasher.js';
import { decodeHash, encodeHash, HASH_LIMITS } from '../../src/password/params.js';
import { formatPhc, PHC_MAX_LENGTH, parsePhc } from '../../src/password/phc.js';
import { scryptSpec } from '../../src/password/scrypt.js';
import { countingDerive, FAST_ARGON2, FAST_SCRYPT } from './helpers.js';

const CFFI =
  '$argon2id$v=19$m=65536,t=3,p=4$MIIRqgvgQbgj220jfp0MPA$YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg';
const PASSLIB =
  '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E';
const SALT = 'MIIRqgvgQbgj220jfp0MPA';
const HASH = 'YfwJSVjtjSU0zzV/P3S9nnQ/USre2wvJMjfCIjrTQbg';

function unsupported(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AuthError);
  expect((caught as AuthError).code).toBe('unsupported_hash');
}

describe('parsePhc / formatPhc', () => {
  it('parses and re-writes argon2-cffi and passlib strings byte for byte', () => {
    const argon = parsePhc(CFFI);
    expect(argon.id).toBe('argon2id');
    expect(argon.version).toBe(19);
    expect(argon.params).toEqual([
      ['m', 65536],
      ['t', 3],
      ['p', 4],
    ]);
    expect(argon.salt).toHaveLength(16);
    expect(argon.hash).toHaveLength(32);
    expect(formatPhc(argon)).toBe(CFFI);
    const scrypt = parsePhc(PASSLIB);
    expect(scrypt.version).toBeUndefined();
    expect(formatPhc(scrypt)).toBe(PASSLIB);
  });

  it.each([
    ['empty', ''],
    ['no leading $', CFFI.slice(1)],
    ['trailing $', `${CFFI}$`],
    ['missing hash', `$argon2id$v=19$m=65536,t=3,p=4$${SALT}`],
    ['upper-case id', CFFI.replace('argon2id', 'Argon2id')],
    ['empty params', `$argon2id$v=19$$${SALT}$${HASH}`],
    ['bad version', CFFI.replace('v=19', 'v=x')],
    ['leading zero', CFFI.replace('t=3', 't=03')],
    ['negative', CFFI.replace('t=3', 't=-3')],
    ['over 2^32-1', CFFI.replace('m=65536', 'm=4294967296')],
    ['duplicate key', CFFI.replace('p=4', 'm=4')],
    ['param without =', CFFI.replace('p=4', 'p')],
    ['padding', `${CFFI}=`],
    ['url-safe base64', CFFI.replace('/', '_')],
    ['space', CFFI.replace('MIIR', 'MI IR')],
    ['non-canonical trailing bits', CFFI.replace('MPA$', 'MPB$')],
    ['impossible base64 length', `$argon2id$v=19$m=65536,t=3,p=4$${SALT}AAA$${HASH}`],
    ['too long', `$argon2id$v=19$m=65536,t=3,p=4$${SALT}$${'A'.repeat(PHC_MAX_LENGTH)}`],
  ])('refuses %s', (_, value) => {
    unsupported(() => parsePhc(value));
  });

  it('refuses non-strings', () => {
    unsupported(() => parsePhc(undefined as unknown as string));
  });
});

describe('decodeHash / encodeHash', () => {
  it('decodes Argon2 variants and versions', () => {
    expect(decodeHash(CFFI).params).toEqual({
      alg: 'argon2id',
      version: 0x13,
      m: 65536,
      t: 3,
      p: 4,
    });
    const old = CFFI.replace('$v=19', '').replace('argon2id', 'argon2i');
    expect(decodeHash(old).params).toEqual({ alg: 'argon2i', version: 0x10, m: 65536, t: 3, p: 4 });
    expect(decodeHash(CFFI.replace('v=19', 'v=16')).params).toMatchObject({ version: 0x10 });
    expect(encodeHash(decodeHash(CFFI))).toBe(CFFI);
  });

  it('decodes scrypt as passlib writes it', () => {
    expect(decodeHash(PASSLIB).params).toEqual({ alg: 'scrypt', ln: 16, r: 8, p: 1 });
    expect(encodeHash(decodeHash(PASSLIB))).toBe(PASSLIB);
  });

  const argon = (params: string) => `$argon2id$v=19$${params}$${SALT}$${HASH}`;
  const scrypt = (params: string) => `$scrypt$${params}$${SALT}$${HASH}`;
  it.each([
    ['unknown algorithm', `$bcrypt$v=19$m=1,t=1,p=1$${SALT}$${HASH}`],
    ['pbkdf2', `$pbkdf2-sha256$i=1000$${SALT}$${HASH}`],
    ['argon2 version 18', CFFI.replace('v=19', 'v=18')],
    ['argon2 reordered params', argon('t=3,m=65536,p=4')],
    ['argon2 extra param', argon('m=65536,t=3,p=4,data=1')],
    ['argon2 missing param', argon('m=65536,t=3')],
    ['argon2 m above 2 GiB', argon(`m=${HASH_LIMITS.argon2.maxMemory + 1},t=1,p=1`)],
    ['argon2 m = 2^32-1', argon('m=4294967295,t=1,p=1')],
    ['argon2 m below 8p', argon('m=31,t=1,p=4')],
    ['argon2 t = 0', argon('m=65536,t=0,p=1')],
    ['argon2 t above limit', argon('m=64,t=33,p=1')],
    ['argon2 m·t above limit', argon(`m=${2 ** 21},t=3,p=1`)],
    ['argon2 p = 0', argon('m=65536,t=3,p=0')],
    ['argon2 p above limit', argon('m=65536,t=3,p=65')],
    ['argon2 salt under 8 bytes', `$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAA$${HASH}`],
    ['argon2 hash under 16 bytes', `$argon2id$v=19$m=64,t=1,p=1$${SALT}$AAAAAAAAAAAAAAAAAAAA`],
    ['scrypt ln = 21', scrypt('ln=21,r=8,p=1')],
    ['scrypt ln = 0', scrypt('ln=0,r=8,p=1')],
    ['scrypt r = 0', scrypt('ln=10,r=0,p=1')],
    ['scrypt r above limit', scrypt('ln=4,r=33,p=1')],
    ['scrypt p above limit', scrypt('ln=4,r=1,p=17')],
    ['scrypt work above 1 GiB', scrypt('ln=20,r=8,p=2')],
    ['scrypt with version', `$scrypt$v=1$ln=10,r=8,p=1$${SALT}$${HASH}`],
    ['scrypt named N', scrypt('n=1024,r=8,p=1')],
  ])('refuses %s', (_, value) => {
    unsupported(() => decodeHash(value));
  });

  it('accepts the most expensive published profiles', () => {
    expect(() => decodeHash(argon(`m=${2 ** 21},t=1,p=4`))).not.toThrow(); // RFC 9106 first
    expect(() => decodeHash(argon(`m=${2 ** 20},t=4,p=1`))).not.toThrow(); // libsodium sensitive
    expect(() => decodeHash(scrypt('ln=20,r=8,p=1'))).not.toThrow();
  });
});

describe('a crafted huge-cost hash', () => {
  it('is refused before any derivation', async () => {
    for (const spec of [argon2idSpec(FAST_ARGON2), scryptSpec(FAST_SCRYPT)]) {
      const derive = countingDerive();
      const hasher = createKdfHasher(spec, derive);
      for (const hash of [
        `$argon2id$v=19$m=4294967295,t=4294967295,p=16777215$${SALT}$${HASH}`,
        `$argon2d$v=19$m=${2 ** 22},t=1,p=1$${SALT}$${HASH}`,
        `$scrypt$ln=31,r=8,p=1$${SALT}$${HASH}`,
        `$scrypt$ln=20,r=4294967295,p=4294967295$${SALT}$${HASH}`,
      ]) {
        await expect(hasher.verify(hash, 'password')).rejects.toMatchObject({
          code: 'unsupported_hash',
        });
        expect(hasher.needsRehash(hash)).toBe(true);
      }
      expect(derive.calls).toBe(0);
    }
  });
});
