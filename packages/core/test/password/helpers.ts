import type { Derive } from '../../src/password/lib/derive.js';
import { deriveKey } from '../../src/password/lib/derive.js';
import { decodeHash, isArgon2 } from '../../src/password/params.js';

/** Tiny Argon2id costs, for fast tests only. */
export const FAST_ARGON2 = { memoryCost: 256, timeCost: 1, parallelism: 1 } as const;

/** Tiny scrypt costs, for fast tests only. */
export const FAST_SCRYPT = { cost: 2 ** 10, blockSize: 8, parallelism: 1 } as const;

/** A {@link Derive} that counts its calls and delegates to the pure one. */
export function countingDerive(): Derive & { calls: number } {
  const derive = Object.assign(
    (...args: Parameters<Derive>) => {
      derive.calls++;
      return deriveKey(...args);
    },
    { calls: 0 },
  );
  return derive;
}

/** Runs `fn` with `crypto.getRandomValues` filling every array with `byte`. */
export async function withFixedRandom<T>(byte: number, fn: () => Promise<T>): Promise<T> {
  const original = crypto.getRandomValues;
  crypto.getRandomValues = <A extends ArrayBufferView | null>(array: A): A => {
    if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(byte);
    return array;
  };
  try {
    return await fn();
  } finally {
    crypto.getRandomValues = original;
  }
}

/** True when verifying `hash` is cheap (at most 4 MiB of Argon2 passes, or scrypt N ≤ 2^12). */
export function isCheap(hash: string): boolean {
  const { params } = decodeHash(hash);
  return isArgon2(params) ? params.m * params.t <= 4096 : params.ln <= 12;
}
