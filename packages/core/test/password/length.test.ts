import { describe, expect, it } from 'vitest';
import { argon2idSpec } from '../../src/password/argon2id.js';
import { encodePassword, PASSWORD_MAX, PASSWORD_MIN } from '../../src/password/length.js';
import { createKdfHasher } from '../../src/password/lib/kdf-hasher.js';
import { scryptSpec } from '../../src/password/scrypt.js';
import { countingDerive, FAST_ARGON2, FAST_SCRYPT } from './helpers.js';

const invalidRequest = expect.objectContaining({ code: 'invalid_request' });

describe('password length', () => {
  it('exports the documented bounds', () => {
    expect(PASSWORD_MIN).toBe(8);
    expect(PASSWORD_MAX).toBe(1024);
  });

  it('encodes UTF-8 without normalising', () => {
    expect([...encodePassword('é')]).toEqual([0xc3, 0xa9]);
    expect([...encodePassword('e\u0301')]).toEqual([0x65, 0xcc, 0x81]);
  });

  it('counts code points, not UTF-16 units', () => {
    const key = '\u{1F511}'; // two UTF-16 units, four UTF-8 bytes
    expect(encodePassword(key.repeat(4), 4)).toHaveLength(16);
    expect(() => encodePassword(key.repeat(5), 4)).toThrow(invalidRequest);
    expect(() => encodePassword('a'.repeat(PASSWORD_MAX + 1))).toThrow(invalidRequest);
    expect(encodePassword('a'.repeat(PASSWORD_MAX))).toHaveLength(PASSWORD_MAX);
  });

  it('refuses an over-long password before any hashing, in hash and verify', async () => {
    for (const spec of [argon2idSpec(FAST_ARGON2), scryptSpec(FAST_SCRYPT)]) {
      const derive = countingDerive();
      const hasher = createKdfHasher({ ...spec, maxPasswordLength: 16 }, derive);
      const stored = await hasher.hash('a'.repeat(16));
      expect(derive.calls).toBe(1);
      await expect(hasher.hash('a'.repeat(17))).rejects.toEqual(invalidRequest);
      await expect(hasher.verify(stored, 'a'.repeat(17))).rejects.toEqual(invalidRequest);
      await expect(hasher.hash('a'.repeat(10_000_000))).rejects.toEqual(invalidRequest);
      expect(derive.calls).toBe(1);
    }
  });
});
