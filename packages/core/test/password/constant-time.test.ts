import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/password/constant-time.js';

describe('constantTimeEqual', () => {
  it('is true for equal bytes, including empty arrays', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('is false for any differing byte or length', () => {
    const a = new Uint8Array(32).fill(9);
    for (const at of [0, 15, 31]) {
      const b = a.slice();
      b[at] = 8;
      expect(constantTimeEqual(a, b)).toBe(false);
    }
    expect(constantTimeEqual(a, a.subarray(0, 31))).toBe(false);
  });
});
