/** `hostHeaderProblem`: exactly one valid Host on HTTP/1.1 (RFC 9112 §3.2). */
import { describe, expect, it } from 'vitest';
import { hostHeaderProblem } from '../src/index.js';

const req = (rawHeaders: string[], httpVersion = '1.1') => ({ rawHeaders, httpVersion });

describe('hostHeaderProblem', () => {
  it('accepts one valid host, with or without a port, in any case of the name', () => {
    for (const host of [
      'app.test',
      'app.test:8080',
      '127.0.0.1:3000',
      '[::1]:3000',
      'xn--bcher-kva.test',
      'a%41b',
      'app.test:',
    ]) {
      expect(hostHeaderProblem(req(['host', host, 'Accept', '*/*'])), host).toBeUndefined();
      expect(hostHeaderProblem(req(['HOST', host])), host).toBeUndefined();
    }
  });

  it('refuses none, two, and values that are no host', () => {
    expect(hostHeaderProblem(req(['Accept', '*/*']))).toBe('the request has no Host header');
    expect(hostHeaderProblem(req(['Host', 'a.test', 'host', 'a.test']))).toBe(
      'the request has more than one Host header',
    );
    for (const host of [
      '',
      'a b',
      'user@a.test',
      'a.test/x',
      'a.test, b.test',
      'a.test:80x',
      '[::1',
      'a\\b',
    ]) {
      expect(hostHeaderProblem(req(['Host', host])), JSON.stringify(host)).toBe(
        'the Host header is not a valid host',
      );
    }
  });

  it('lets an HTTP/1.0 request go without one, and leaves HTTP/2 (:authority) alone', () => {
    expect(hostHeaderProblem(req([], '1.0'))).toBeUndefined();
    expect(hostHeaderProblem(req([':authority', 'a.test'], '2.0'))).toBeUndefined();
    expect(hostHeaderProblem({ rawHeaders: [] })).toBe('the request has no Host header');
  });
});
