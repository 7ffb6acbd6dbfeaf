import { describe, expect, it } from 'vitest';
import { authorizationHeader } from '../src/http/authorization-header.js';

describe('authorizationHeader', () => {
  it('is req.headers.authorization when the client sent one (or the app rewrote it)', () => {
    expect(authorizationHeader({ headers: {} })).toBeUndefined();
    expect(authorizationHeader({ headers: { authorization: 'Bearer a' } })).toBe('Bearer a');
    const raw = ['Host', 'x', 'Authorization', 'Bearer a', 'Accept', '*/*'];
    expect(authorizationHeader({ headers: { authorization: 'Bearer a' }, rawHeaders: raw })).toBe(
      'Bearer a',
    );
    expect(
      authorizationHeader({ headers: { authorization: 'Bearer rewritten' }, rawHeaders: raw }),
    ).toBe('Bearer rewritten');
  });

  it('joins repeated headers as Fetch does, whatever their case, so no scheme parses them', () => {
    const raw = ['authorization', 'Bearer a', 'Host', 'x', 'AUTHORIZATION', 'Bearer b'];
    expect(authorizationHeader({ headers: { authorization: 'Bearer a' }, rawHeaders: raw })).toBe(
      'Bearer a, Bearer b',
    );
  });

  it('counts every spelling of the name, and no other 13-letter name', () => {
    const value = { headers: { authorization: 'Bearer a' } };
    for (const [first, second] of [
      ['Authorization', 'authorization'],
      ['authorization', 'Authorization'],
      ['Authorization', 'aUTHORIZATION'],
    ]) {
      const raw = [first!, 'Bearer a', second!, 'Bearer b'];
      expect(authorizationHeader({ ...value, rawHeaders: raw })).toBe('Bearer a, Bearer b');
    }
    const raw = ['Authorization', 'Bearer a', 'Authorisation', 'Bearer b', 'X-Authorizati', 'c'];
    expect(authorizationHeader({ ...value, rawHeaders: raw })).toBe('Bearer a');
  });
});
