/** The hot path's base64url decoder answers exactly as jose's `base64url.decode`. */
import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeBase64urlText } from '../src/tokens/base64url.js';

const params = { numRuns: Number(process.env.FC_RUNS ?? 1000), seed: 4242 };

function outcome(decode: (text: string) => Uint8Array, text: string): string {
  try {
    return `ok ${Array.from(decode(text)).join(',')}`;
  } catch {
    return 'refused';
  }
}

describe('decodeBase64url', () => {
  it('round-trips every byte string jose encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64url(base64url.encode(bytes))).toEqual(bytes);
      }),
      params,
    );
  });

  it('agrees with jose on arbitrary text over the alphabet, padding and strays', () => {
    const text = fc.string({
      unit: fc.constantFrom(...'AQgw_-zZ09+/=. \né'.split(''), 'A', 'b', '9'),
      maxLength: 14,
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(outcome(decodeBase64url, t)).toBe(outcome(base64url.decode, t));
      }),
      params,
    );
  });

  it('refuses a length of 4n+1 and ignores the unused bits of the last character', () => {
    expect(() => decodeBase64url('QUFBQ')).toThrow();
    expect(decodeBase64url('QR')).toEqual(decodeBase64url('QQ'));
    expect(decodeBase64url('')).toEqual(new Uint8Array(0));
  });

  it('decodes UTF-8 text, and refuses bytes that are not UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const encoded = base64url.encode(new TextEncoder().encode(text));
        expect(decodeBase64urlText(encoded)).toBe(text);
      }),
      params,
    );
    expect(() =>
      decodeBase64urlText(base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))),
    ).toThrow();
  });
});
