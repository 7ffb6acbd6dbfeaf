/** The checks the adapters share: an auth instance was passed, and a mount hides no route. */
import { describe, expect, it } from 'vitest';
import {
  assertAuthInstance,
  assertGuard,
  meantForAuth,
  pathsOutside,
} from '../src/adapter-checks.js';
import { harness } from './helpers.js';

describe('adapter checks', () => {
  it('assertAuthInstance accepts an auth instance and names the mistake otherwise', () => {
    const { auth } = harness();
    expect(() => assertAuthInstance(auth)).not.toThrow();
    for (const wrong of [undefined, null, {}, () => {}, 'auth']) {
      expect(() => assertAuthInstance(wrong)).toThrow(
        new TypeError('pass the auth instance: requireAuth(auth), withAuth(auth, handler)'),
      );
    }
  });

  it('pathsOutside lists the routes a mount would hide, exactly, and none at the root', () => {
    const { auth } = harness();
    expect(pathsOutside(auth, '')).toEqual([]);
    expect(pathsOutside(auth, '/auth')).toEqual(['/.well-known/jwks.json']);
    // A prefix of a segment is no mount of it: /au does not contain /auth/login.
    expect(pathsOutside(auth, '/au')).toEqual(auth.routePaths);
    expect(pathsOutside({ routePaths: ['/api', '/api/x', '/apix'] }, '/api')).toEqual(['/apix']);
  });

  it('meantForAuth: a core path as it is, or once the mount is taken off', () => {
    const { auth } = harness();
    expect(meantForAuth(auth, '/auth/login', '/auth')).toBe(true);
    expect(meantForAuth(auth, '/api/auth/login', '/api')).toBe(true);
    expect(meantForAuth(auth, '/api/.well-known/jwks.json', '/api')).toBe(true);
    expect(meantForAuth(auth, '/api/users', '/api')).toBe(false);
    expect(meantForAuth(auth, '/other/auth/login', '/api')).toBe(false);
  });

  it('assertGuard checks the instance, then the requirement against the roles option', () => {
    const { auth } = harness();
    expect(() => assertGuard(auth, { role: 'admin' })).not.toThrow();
    expect(() => assertGuard(auth)).not.toThrow();
    expect(() => assertGuard(auth, { role: 'amdin' })).toThrow(/role "amdin"/);
    expect(() => assertGuard({}, { role: 'admin' })).toThrow(TypeError);
  });
});
