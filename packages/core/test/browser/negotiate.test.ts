import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/http/browser/negotiate.js';
import { loginLocation, safeReturnPath } from '../../src/http/browser/return-path.js';
import { HTML_ACCEPT } from './helpers.js';

describe('prefersHtml', () => {
  it.each([
    [HTML_ACCEPT, true],
    ['text/html', true],
    ['TEXT/HTML', true],
    ['text/*', true],
    ['application/json;q=0.5, text/html', true],
    ['text/html;q=0.9, application/json;q=0.8', true],
    // Swagger UI, fetch() defaults, curl, HTTPie, no header at all:
    ['application/json', false],
    ['application/json, text/plain, */*', false],
    ['*/*', false],
    ['', false],
    [undefined, false],
    [null, false],
    // q-values honoured; ties go to JSON:
    ['text/html;q=0.5, application/json', false],
    ['text/html, application/json', false],
    ['text/html;q=0', false],
    ['text/html;q=0.9, */*;q=1', false],
    ['application/*, text/html;q=0.8', false],
    ['text/html;q=2', false],
    ['text/plain', false],
  ])('%j → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });

  it('reads a huge header only up to its cap', () => {
    expect(prefersHtml(`${'application/x-junk, '.repeat(10_000)}text/html`)).toBe(false);
    expect(prefersHtml(`text/html, ${'x/y, '.repeat(10_000)}`)).toBe(true);
  });
});

describe('safeReturnPath: no open redirect', () => {
  it.each([
    '//evil.com',
    '//evil.com/path',
    '/\\evil.com',
    '\\\\evil.com',
    'https://evil.com',
    'http:/evil.com',
    'javascript:alert(1)',
    'evil.com',
    '/%2F%2Fevil.com',
    '/%2f/evil.com',
    '/%5Cevil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    '/ /evil.com',
    '/%E0%A4%A', // malformed escape
    // Dot segments that normalise to `//evil.com`.
    '/..//evil.com',
    '/a/..//evil.com',
    '/%2e%2e//evil.com',
    '/.%2e//evil.com',
    '/.//evil.com',
    '/a/b/../..//evil.com?x#y',
    '/./%2fevil.com',
    '',
    `/${'a'.repeat(3000)}`,
  ])('%j → fallback', (next) => {
    expect(safeReturnPath(next, '/home')).toBe('/home');
  });

  it('never yields a path that leaves the site, for any input', () => {
    const piece = fc.constantFrom(
      '/',
      '\\',
      '.',
      '..',
      '%2e',
      '%2f',
      '%5c',
      'evil.com',
      '?',
      '#',
      '@',
      ':',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const result = safeReturnPath(pieces.join(''), '/home');
        expect(result[0]).toBe('/');
        expect(result[1]).not.toBe('/');
        expect(result[1]).not.toBe('\\');
        expect(new URL(result, 'http://site.invalid').origin).toBe('http://site.invalid');
      }),
      { numRuns: 2000, seed: 4242 },
    );
  });

  it('refuses non-strings', () => {
    expect(safeReturnPath(undefined, '/')).toBe('/');
    expect(safeReturnPath(['/a'], '/')).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/orders', '/orders'],
    ['/orders?page=2&sort=asc', '/orders?page=2&sort=asc'],
    ['/a/b#section', '/a/b#section'],
    ['/a/../b', '/b'],
    ['/caf%C3%A9', '/caf%C3%A9'],
  ])('%j is honoured as %j', (next, expected) => {
    expect(safeReturnPath(next, '/home')).toBe(expected);
  });
});

describe('loginLocation', () => {
  it('keeps slashes readable and encodes the rest', () => {
    expect(loginLocation('/auth/login', '/')).toBe('/auth/login?next=/');
    expect(loginLocation('/auth/login', '/a/b?x=1&y=2')).toBe(
      '/auth/login?next=/a/b%3Fx%3D1%26y%3D2',
    );
    const url = new URL(`http://x${loginLocation('/auth/login', '/a/b?x=1&y=2')}`);
    expect(url.searchParams.get('next')).toBe('/a/b?x=1&y=2');
  });

  it('drops an unsafe return path', () => {
    expect(loginLocation('/auth/login', '//evil.com')).toBe('/auth/login');
    expect(loginLocation('/auth/login', undefined)).toBe('/auth/login');
  });
});
