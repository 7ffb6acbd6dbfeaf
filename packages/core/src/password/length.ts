import { AuthError } from '../errors.js';

/**
 * The shortest password a registration policy should accept, in characters (Unicode code
 * points). The hashers do not enforce it: a short password at login simply fails to verify.
 */
export const PASSWORD_MIN = 8;

/**
 * The default longest password the hashers accept, in characters (Unicode code points).
 * A longer password is refused with `AuthError('invalid_request')` before any hashing.
 */
export const PASSWORD_MAX = 1024;

/**
 * Checks the length of `password` and encodes it as UTF-8, without any normalisation
 * (argon2-cffi and passlib do not normalise either, so migrated hashes verify).
 *
 * Refuses a password of more than `max` code points, or of more than `4 * max` UTF-8 bytes.
 * A string longer than `2 * max` UTF-16 units is refused without being scanned.
 *
 * @param password - the password as typed
 * @param max - the longest accepted password, in code points (default {@link PASSWORD_MAX})
 * @returns the UTF-8 bytes of `password`; the caller should wipe them after use
 * @throws AuthError `invalid_request` when the password is too long
 */
export function encodePassword(password: string, max: number = PASSWORD_MAX): Uint8Array {
  if (password.length > 2 * max || countCodePoints(password) > max) throw tooLong(max);
  const bytes = new TextEncoder().encode(password);
  if (bytes.length > 4 * max) {
    bytes.fill(0);
    throw tooLong(max);
  }
  return bytes;
}

function countCodePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function tooLong(max: number): AuthError {
  return new AuthError('invalid_request', {
    description: `the password is longer than ${max} characters`,
    issues: [{ path: 'password', message: `must be at most ${max} characters` }],
  });
}
