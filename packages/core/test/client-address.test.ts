import { describe, expect, it } from 'vitest';
import { addressBytes } from '../src/http/address-ranges.js';
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

describe('trusted proxies as CIDR ranges', () => {
  it('trusts every address of a range, IPv4 and IPv6, and walks past them', () => {
    const trustedProxies = ['10.0.0.0/8', 'fd00::/8', '192.168.1.7'];
    const from = (remoteAddress: string, forwardedFor: string) =>
      clientAddress({ remoteAddress, forwardedFor, trustedProxies });
    expect(from('10.3.2.1', '198.51.100.9')).toBe('198.51.100.9');
    expect(from('::ffff:10.200.0.1', '198.51.100.9, 10.0.0.5')).toBe('198.51.100.9');
    expect(from('fd12:3456::1', '2001:db8::7, fd00::2')).toBe('2001:db8::7');
    expect(from('192.168.1.7', '198.51.100.9')).toBe('198.51.100.9');
    // Outside every range: the socket is the client, whatever the header says.
    expect(from('11.0.0.1', '198.51.100.9')).toBe('11.0.0.1');
    expect(from('fe80::1', '198.51.100.9')).toBe('fe80::1');
    expect(from('192.168.1.8', '198.51.100.9')).toBe('192.168.1.8');
  });

  it('honours prefixes that end inside a byte, and /0 and full-length ones', () => {
    const at = (trustedProxies: string[], remoteAddress: string) =>
      clientAddress({ remoteAddress, forwardedFor: '203.0.113.1', trustedProxies });
    expect(at(['172.16.0.0/12'], '172.31.255.255')).toBe('203.0.113.1');
    expect(at(['172.16.0.0/12'], '172.32.0.0')).toBe('172.32.0.0');
    // Every IPv4 address is trusted: the walk passes the IPv4 hop to the IPv6 one.
    expect(
      clientAddress({
        remoteAddress: '8.8.8.8',
        forwardedFor: '2001:db8::1, 203.0.113.1',
        trustedProxies: ['0.0.0.0/0'],
      }),
    ).toBe('2001:db8::1');
    expect(at(['10.0.0.1/32'], '10.0.0.1')).toBe('203.0.113.1');
    expect(at(['10.0.0.1/32'], '10.0.0.2')).toBe('10.0.0.2');
    expect(at(['2001:db8::/33'], '2001:db8:7fff::1')).toBe('203.0.113.1');
    expect(at(['2001:db8::/33'], '2001:db8:8000::1')).toBe('2001:db8:8000::1');
    // An IPv4 range never matches an IPv6 address, nor the reverse.
    expect(at(['::/0'], '10.0.0.1')).toBe('10.0.0.1');
  });

  it('sees entries added to the same array later', () => {
    const trustedProxies = ['10.0.0.1'];
    const facts = { remoteAddress: '172.16.0.9', forwardedFor: '198.51.100.9', trustedProxies };
    expect(clientAddress(facts)).toBe('172.16.0.9');
    trustedProxies.push('172.16.0.0/12');
    expect(clientAddress(facts)).toBe('198.51.100.9');
  });

  it('throws a TypeError naming an entry that is not a range', () => {
    for (const entry of ['10.0.0.0/33', 'fd00::/129', 'proxy/8', '10.0.0/8', '10.0.0.0/x']) {
      expect(() =>
        clientAddress({
          remoteAddress: '10.0.0.1',
          forwardedFor: '1.2.3.4',
          trustedProxies: [entry],
        }),
      ).toThrow(
        new TypeError(
          `trustedProxies: "${entry}" is neither an address nor a CIDR range such as 10.0.0.0/8`,
        ),
      );
    }
  });
});

describe('addressBytes', () => {
  it('reads IPv4 and every IPv6 form, and nothing else', () => {
    expect([...addressBytes('192.0.2.1')!]).toEqual([192, 0, 2, 1]);
    const v6 = (text: string) => Buffer.from(addressBytes(text)!).toString('hex');
    expect(v6('::')).toBe('0'.repeat(32));
    expect(v6('::1')).toBe(`${'0'.repeat(31)}1`);
    expect(v6('2001:db8::8:800:200c:417a')).toBe(
      '20010db8000000000008080020 0c417a'.replace(' ', ''),
    );
    expect(v6('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
    expect(v6('::ffff:1.2.3.4')).toBe('00000000000000000000ffff01020304');
    expect(v6('64:ff9b::1.2.3.4')).toBe('0064ff9b000000000000000001020304');
    expect(v6('::1.2.3.4')).toBe('00000000000000000000000001020304');
    expect(v6('fe80::1%eth0')).toBe('fe800000000000000000000000000001');
    for (const bad of [
      '',
      '256.0.0.1',
      '1.2.3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '1:2:3:4::5:6:7:8',
      '12345::',
      ':::',
      'g::1',
      '::1.2.3.256',
      'example.com',
    ]) {
      expect(addressBytes(bad), bad).toBeUndefined();
    }
  });
});
