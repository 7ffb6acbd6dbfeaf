/** `requestTarget`: origin-form and absolute-form targets (RFC 9112 §3.2); nothing else. */
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../src/index.js';

describe('requestTarget', () => {
  it('gives an origin-form target as its own path, with no host', () => {
    expect(requestTarget('/auth/me?x=1')).toEqual({ path: '/auth/me?x=1' });
    expect(requestTarget('//evil.test/x')).toEqual({ path: '//evil.test/x' });
  });

  it("gives an absolute-form target's path, query and host", () => {
    expect(requestTarget('http://api.test/auth/me?x=1')).toEqual({
      path: '/auth/me?x=1',
      host: 'api.test',
    });
    expect(requestTarget('HTTPS://API.test:8443/ping')).toEqual({
      path: '/ping',
      host: 'api.test:8443',
    });
    expect(requestTarget('http://api.test')).toEqual({ path: '/', host: 'api.test' });
  });

  it('refuses every other target', () => {
    for (const target of [
      '',
      '*',
      'api.test:443',
      'ftp://api.test/ping',
      'javascript:alert(1)',
      'http:/ping',
      'http://user:pw@api.test/ping',
      'http://[::1/ping',
      'ping',
    ]) {
      expect(requestTarget(target), target).toBeUndefined();
    }
  });
});
