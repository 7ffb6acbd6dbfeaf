/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * first differ. Lengths are not secret (a PHC string states its hash length), so arrays of
 * different lengths return `false` at once.
 *
 * @param a - first byte array
 * @param b - second byte array
 * @returns `true` when both hold the same bytes
 * @example
 * ```ts
 * constantTimeEqual(derived, stored); // true or false, in time independent of the contents
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Compares two strings in time that depends only on their lengths, as
 * {@link constantTimeEqual} does for bytes (one UTF-16 code unit at a time).
 * @returns `true` when both hold the same code units
 */
export function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
