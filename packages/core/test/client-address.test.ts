import { describe, expect, it } from 'vitest';
import { clientAddress } from '../src/http/client-address.js';

describe('clientAddress', () => {
  it('is the socket address unless the socket is a trusted proxy', () => {
    expect(clientAddress({ remoteAddress: '203.0.113.5', forwardedFor: '1.2.3.4' })).toBe(
      '203.0.113.5',
    );
    expect(
      clientAddress({
        remoteAddress: '203.0.113.5',
        forwardedFor: '1.2.3.4',
        trustedProxies: ['10.0.0.1'],
      }),
    ).toBe('203.0.113.5');
    expect(clientAddress({ remoteAddress: '::ffff:127.0.0.1' })).toBe('127.0.0.1');
    expect(clientAddress({ remoteAddress: undefined })).toBeUndefined();
  });

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    const trustedProxies = ['10.0.0.1', '10.0.0.2'];
    expect(
      clientAddress({
        remoteAddress: '10.0.0.2',
        forwardedFor: 'spoofed, 198.51.100.9, 10.0.0.1',
        trustedProxies,
      }),
    ).toBe('198.51.100.9');
    expect(
      clientAddress({ remoteAddress: '10.0.0.2', forwardedFor: '10.0.0.1', trustedProxies }),
    ).toBe('10.0.0.2');
    expect(clientAddress({ remoteAddress: '10.0.0.2', forwardedFor: ' , ', trustedProxies })).toBe(
      '10.0.0.2',
    );
  });

  it('reads a bounded number of hops from a huge header', () => {
    const huge = Array.from({ length: 10_000 }, (_, i) => `10.1.${i % 250}.${i % 250}`).join(',');
    expect(
      clientAddress({
        remoteAddress: '10.0.0.1',
        forwardedFor: huge,
        trustedProxies: ['10.0.0.1'],
      }),
    ).toMatch(/^10\.1\./);
  });
});
