import { describe, expect, it } from 'vitest';
import { constantTimeEqual, constantTimeEqualText } from '../../src/password/constant-time.js';

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

describe('constantTimeEqualText', () => {
  it('is true for equal strings, including empty ones', () => {
    expect(constantTimeEqualText('abc-_', 'abc-_')).toBe(true);
    expect(constantTimeEqualText('', '')).toBe(true);
  });

  it('is false for any differing code unit or length', () => {
    const a = 'x'.repeat(43);
    for (const at of [0, 21, 42]) {
      expect(constantTimeEqualText(a, `${a.slice(0, at)}y${a.slice(at + 1)}`)).toBe(false);
    }
    expect(constantTimeEqualText(a, a.slice(1))).toBe(false);
    // Code units beyond Latin-1 are compared whole, not by their low byte.
    expect(constantTimeEqualText('\u0141', 'A')).toBe(false);
  });
});
