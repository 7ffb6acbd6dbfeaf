import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES, AuthError, type AuthErrorCode } from '../src/errors.js';
import { errorParts, errorResponse } from '../src/http/respond.js';

describe('AuthError', () => {
  it('sends error_description as RFC 6749 §5.2 text: printable ASCII without " and \\, at most 512 characters', () => {
    const error = new AuthError('invalid_request', {
      description: `say "hi" \\ there\n\u202eé${'y'.repeat(1000)}`,
    });
    const text = error.toJSON().error_description as string;
    expect(text.startsWith("say 'hi' / there??")).toBe(true);
    expect(text).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    expect(text).toHaveLength(512);
    expect(text.endsWith('y...')).toBe(true);
    // The message itself is kept whole, for logs and pages.
    expect(error.message).toContain('"hi"');
  });

  it('maps every code to its status and challenge', () => {
    const expected: Record<AuthErrorCode, [number, string | undefined]> = {
      invalid_request: [400, undefined],
      unauthorized: [401, 'Bearer realm="api"'],
      invalid_credentials: [401, 'Bearer'],
      invalid_token: [
        401,
        'Bearer error="invalid_token", error_description="the access token is invalid"',
      ],
      token_expired: [401, 'Bearer error="invalid_token", error_description="token expired"'],
      insufficient_scope: [
        403,
        'Bearer error="insufficient_scope", error_description="the token does not grant access to this resource"',
      ],
      forbidden: [403, undefined],
      not_found: [404, undefined],
      method_not_allowed: [405, undefined],
      username_taken: [409, undefined],
      invalid_grant: [401, 'Bearer'],
      unsupported_grant_type: [400, undefined],
      invalid_scope: [400, undefined],
      payload_too_large: [413, undefined],
      unsupported_media_type: [415, undefined],
      rate_limited: [429, undefined],
      unsupported_hash: [500, undefined],
      storage_unavailable: [503, undefined],
      internal_error: [500, undefined],
    };
    expect(Object.keys(AUTH_ERROR_CODES).sort()).toEqual(Object.keys(expected).sort());
    for (const [code, [status, challenge]] of Object.entries(expected)) {
      const error = new AuthError(code as AuthErrorCode);
      expect(error.status, code).toBe(status);
      expect(error.challenge('api'), code).toBe(challenge);
      // On the wire an expired token is RFC 6750's invalid_token, in the body as in the header.
      const wire = code === 'token_expired' ? 'invalid_token' : code;
      expect(error.toJSON()).toEqual({ error: wire, error_description: expect.any(String) });
    }
    // Every 401 challenges (RFC 9110 §15.5.2); other statuses of a code do not.
    for (const code of Object.keys(expected) as AuthErrorCode[]) {
      if (new AuthError(code).status === 401)
        expect(new AuthError(code).challenge('r')).toBeDefined();
    }
    expect(new AuthError('invalid_grant', { status: 400 }).challenge('r')).toBeUndefined();
    // A temporary condition says when to retry (RFC 9110 §10.2.3); a given value wins.
    expect(new AuthError('storage_unavailable').retryAfter).toBe(5);
    expect(new AuthError('storage_unavailable', { retryAfter: 30 }).retryAfter).toBe(30);
    expect(new AuthError('internal_error').retryAfter).toBeUndefined();
  });

  it('keeps challenge descriptions to the characters RFC 6750 allows, and the cause out of the body', () => {
    const error = new AuthError('invalid_token', {
      description: 'bad "x" \\ é\r\nInjected: 1',
      cause: new Error('secret'),
    });
    expect(error.challenge('r')).toBe(
      'Bearer error="invalid_token", error_description="bad \'x\' / ???Injected: 1"',
    );
    // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    const description = /error_description="(.*)"$/.exec(error.challenge('r')!)![1]!;
    expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    // The JSON body's error_description obeys the same rule (RFC 6749 §5.2).
    expect(error.toJSON().error_description).toBe("bad 'x' / ???Injected: 1");
    expect(JSON.stringify(error.toJSON())).not.toContain('secret');
  });

  it('carries the Allow of a 405 into every error answer', () => {
    const error = new AuthError('method_not_allowed', { allow: 'GET, HEAD' });
    expect(errorParts(error, 'r').headers.allow).toBe('GET, HEAD');
    expect(errorResponse(error, 'r').headers.get('allow')).toBe('GET, HEAD');
    expect(errorParts(new AuthError('method_not_allowed'), 'r').headers.allow).toBeUndefined();
  });

  it('carries retryAfter, issues and a status override', () => {
    const error = new AuthError('invalid_grant', {
      status: 400,
      retryAfter: 3,
      issues: [{ path: 'a', message: 'b' }],
    });
    expect(error.status).toBe(400);
    expect(error.retryAfter).toBe(3);
    expect(error.toJSON()).toMatchObject({ issues: [{ path: 'a', message: 'b' }] });
  });
});

describe('auth.errorParts', () => {
  it('uses the configured realm when browser mode is off', async () => {
    const { harness } = await import('./helpers.js');
    const h = harness({ realm: 'my-api' });
    const parts = h.auth.errorParts(new AuthError('unauthorized'), {
      accept: 'text/html',
      method: 'GET',
      path: '/x',
    });
    expect(parts.status).toBe(401);
    expect(parts.headers['www-authenticate']).toBe('Bearer realm="my-api"');
  });
});
