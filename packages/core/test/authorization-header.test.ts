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
});
