/** The checks the adapters share: an auth instance was passed, and a mount hides no route. */
import { describe, expect, it } from 'vitest';
import { assertAuthInstance, pathsOutside } from '../src/adapter-checks.js';
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
});
