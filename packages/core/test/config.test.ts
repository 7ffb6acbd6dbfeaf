import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth.js';
import type { AuthOptions } from '../src/config.js';
import { AuthConfigError } from '../src/errors.js';
import { memoryStorage } from '../src/storage/memory.js';
import { AUDIENCE, ISSUER, SECRET } from './helpers.js';

const base = (): AuthOptions => ({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: { alg: 'HS256', secret: SECRET },
  storage: memoryStorage(),
});

function configError(patch: Record<string, unknown>): AuthConfigError {
  try {
    createAuth({ ...base(), ...patch } as AuthOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthConfigError);
    return e as AuthConfigError;
  }
  throw new Error('expected AuthConfigError');
}

describe('createAuth options', () => {
  it('accepts a minimal valid configuration', () => {
    expect(() => createAuth(base())).not.toThrow();
  });

  it.each([
    [{ keys: { alg: 'HS256' } }, 'keys.secret'],
    [{ keys: { alg: 'HS256', secret: 'too-short' } }, 'keys.secret'],
    [{ keys: { alg: 'HS256', secret: new Uint8Array(31) } }, 'keys.secret'],
    [{ keys: { alg: 'RS256', secret: SECRET } }, 'keys.alg'],
    [{ keys: { alg: 'none' } }, 'keys.alg'],
    [{ issuer: undefined }, 'issuer'],
    [{ issuer: '' }, 'issuer'],
    [{ audience: undefined }, 'audience'],
    [{ accessTokenTtl: 0 }, 'accessTokenTtl'],
    [{ accessTokenTtl: -5 }, 'accessTokenTtl'],
    [{ accessTokenTtl: 1.5 }, 'accessTokenTtl'],
    [{ refreshTokenTtl: 0 }, 'refreshTokenTtl'],
    [{ refreshReuseGrace: -1 }, 'refreshReuseGrace'],
    [{ storage: {} }, 'storage.users'],
    [{ clock: { now: 5 } }, 'clock.now'],
    [{ basePath: 'auth' }, 'basePath'],
    [{ roles: { admin: { inherits: ['ghost'] } } }, 'roles.admin.inherits'],
    [{ roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } } }, 'roles.a.inherits'],
    [{ password: { minLength: 20, maxLength: 10 } }, 'password.minLength'],
    [{ rateLimit: { maxAttempts: 1001 } }, 'rateLimit.maxAttempts'],
    [{ keys: { alg: 'EdDSA' } }, 'keys.privateKey'],
    [
      {
        keys: [
          { alg: 'HS256', secret: SECRET, kid: 'a' },
          { alg: 'ES256', kid: 'b' },
        ],
      },
      'keys[1].publicKey',
    ],
    [{ onError: 'log' }, 'onError'],
    [{ rateLimit: { perClientMultiplier: 1001 } }, 'rateLimit.perClientMultiplier'],
    [{ rateLimit: { perUsernameCeiling: 100_001 } }, 'rateLimit.perUsernameCeiling'],
  ])('%j names %s', (patch, option) => {
    const error = configError(patch);
    expect(error.option).toBe(option);
    expect(error.message).toContain(option);
  });

  it.each([
    [{ keys: { alg: 'HS256', secret: undefined } }, 'keys.secret', 'is required'],
    [{ keys: undefined }, 'keys', 'is required'],
    [{ keys: SECRET }, 'keys', "must be a key, { alg: 'HS256', secret }"],
    [{ roles: { admin: {} }, defaultRoles: ['member'] }, 'defaultRoles', 'role "member"'],
    [{ roles: { admin: {} } }, 'defaultRoles', 'define it or set defaultRoles'],
    [{ accessTokenTtl: '15m' }, 'accessTokenTtl', 'must be a number, got a string'],
    [{ storage: memoryStorage }, 'storage', 'must be a store, got a function (call it)'],
    [{ storage: Promise.resolve(memoryStorage()) }, 'storage', 'got a Promise (await it)'],
    [
      { rateLimit: { maxAttempts: 'x' } },
      'rateLimit.maxAttempts',
      'must be a number, got a string',
    ],
    [{ audience: 5 }, 'audience', 'is not valid here (got a number)'],
    [
      { browser: { secureCookies: 'yes' } },
      'browser.secureCookies',
      'must be a boolean, got a string',
    ],
  ])('%j says what is wrong with %s', (patch, option, message) => {
    const error = configError(patch);
    expect(error.option).toBe(option);
    expect(error.message).toContain(message);
  });

  it('accepts default roles the roles option defines, and any without one', () => {
    const roles = { admin: { inherits: ['member'] }, member: {} };
    expect(() => createAuth({ ...base(), roles, defaultRoles: ['member'] })).not.toThrow();
    expect(() => createAuth({ ...base(), defaultRoles: ['anything'] })).not.toThrow();
  });

  it('requires a kid on each HS256 key when several are configured', () => {
    const error = configError({
      keys: [
        { alg: 'HS256', secret: SECRET },
        { alg: 'HS256', secret: SECRET },
      ],
    });
    expect(error.option).toBe('keys[0].kid');
  });

  it('never puts the secret in the message', () => {
    const secret = 'short-secret-value';
    const error = configError({ keys: { alg: 'HS256', secret } });
    expect(error.message).not.toContain(secret);
  });

  it('rejects a non-object', () => {
    expect(() => createAuth(undefined as unknown as AuthOptions)).toThrow(AuthConfigError);
  });
});
