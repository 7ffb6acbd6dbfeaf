import { describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth.js';
import type { AuthOptions } from '../../src/config.js';
import { AuthConfigError } from '../../src/errors.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { AUDIENCE, ISSUER, SECRET } from '../helpers.js';

const base = (): AuthOptions => ({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: { alg: 'HS256', secret: SECRET },
  storage: memoryStorage(),
});

function optionError(patch: Record<string, unknown>): string {
  try {
    createAuth({ ...base(), ...patch } as AuthOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthConfigError);
    return (e as AuthConfigError).option;
  }
  throw new Error('expected AuthConfigError');
}

describe('browser and docs options', () => {
  it('are off by default', () => {
    const auth = createAuth(base());
    expect(auth.browserMode).toBe(false);
    expect(auth.paths).toEqual({
      base: '/auth',
      jwks: '/.well-known/jwks.json',
      login: undefined,
      home: undefined,
      openapi: undefined,
      docs: undefined,
    });
    for (const path of ['/', '/auth/style.css', '/openapi.json', '/docs', '/docs/init.js']) {
      expect(auth.handles(path)).toBe(false);
    }
  });

  it('true turns on the defaults', () => {
    const auth = createAuth({ ...base(), browser: true, docs: true });
    expect(auth.browserMode).toBe(true);
    expect(auth.paths).toMatchObject({
      login: '/auth/login',
      home: '/',
      openapi: '/openapi.json',
      docs: '/docs',
    });
  });

  it('follow basePath and the path options', () => {
    const auth = createAuth({
      ...base(),
      basePath: '/api/auth',
      browser: { homePath: '/app/', homePage: true },
      docs: { path: '/api/docs', openapiPath: '/api/openapi.json' },
    });
    expect(auth.paths).toMatchObject({
      login: '/api/auth/login',
      home: '/app',
      openapi: '/api/openapi.json',
      docs: '/api/docs',
    });
    expect(auth.handles('/app')).toBe(true);
    expect(auth.handles('/api/auth/style.css')).toBe(true);
    expect(auth.handles('/api/docs/init.js')).toBe(true);
    expect(auth.handles('/api/docs/swagger-ui.css')).toBe(true);
    expect(auth.handles('/api/docs/a/b')).toBe(false);
    expect(auth.loginLocation('/app')).toBe('/api/auth/login?next=/app');
  });

  it.each([
    [{ browser: 'yes' }, 'browser'],
    [{ browser: { secureCookies: 'no' } }, 'browser.secureCookies'],
    [{ browser: { homePath: 'home' } }, 'browser.homePath'],
    [{ browser: { homePath: '/auth/login' } }, 'browser.homePath'],
    [{ browser: { homePath: '/auth' } }, 'browser.homePath'],
    [{ browser: { homePath: '/docs' }, docs: true }, 'browser.homePath'],
    [{ browser: { trustedOrigins: ['https://a.example/path'] } }, 'browser.trustedOrigins[0]'],
    [{ browser: { trustedOrigins: ['a.example'] } }, 'browser.trustedOrigins[0]'],
    [{ browser: { appName: '' } }, 'browser.appName'],
    [{ browser: { homepage: true } }, 'browser.homepage'],
    [{ browser: [] }, 'browser'],
    [{ docs: { assets: 'swagger' } }, 'docs.assets'],
    [{ docs: { extend: {} } }, 'docs.extend'],
    [{ docs: { path: '/' } }, 'docs.path'],
    [{ docs: { path: '/auth/docs' } }, 'docs.path'],
    [{ docs: { openapiPath: '/docs/openapi.json' } }, 'docs.openapiPath'],
  ])('%j is refused, naming %s', (patch, option) => {
    expect(optionError(patch)).toBe(option);
  });
});
