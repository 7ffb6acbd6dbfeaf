import { describe, expect, it, vi } from 'vitest';
import { BASE, formRequest, getRequest, harness, jsonRequest } from './helpers.js';

const client = { clientAddress: '192.0.2.1' };

async function body(response: Response) {
  return JSON.parse(await response.text());
}

async function registered(h = harness()) {
  const reg = await h.auth.handler(
    jsonRequest('/auth/register', { username: 'alice', password: 'password-1' }),
  );
  expect(reg.status).toBe(201);
  const login = await h.auth.handler(
    jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
    client,
  );
  expect(login.status).toBe(200);
  return { h, tokens: await body(login), user: (await body(reg)).user };
}

describe('handler: register', () => {
  it('201 with the user, never the hash', async () => {
    const h = harness();
    const res = await h.auth.handler(
      jsonRequest('/auth/register', {
        username: 'Alice',
        password: 'password-1',
        roles: ['admin'],
      }),
    );
    expect(res.status).toBe(201);
    const json = await body(res);
    expect(json).toEqual({ user: { id: expect.any(String), username: 'Alice', roles: ['user'] } });
  });

  it('409 username_taken for a name taken in another case', async () => {
    const { h } = await registered();
    const res = await h.auth.handler(
      jsonRequest('/auth/register', { username: 'ALICE', password: 'password-1' }),
    );
    expect(res.status).toBe(409);
    expect(await body(res)).toMatchObject({
      error: 'username_taken',
      error_description: expect.any(String),
    });
  });

  it('400 invalid_request with issues', async () => {
    const h = harness();
    const res = await h.auth.handler(
      jsonRequest('/auth/register', { username: 'al', password: 'short' }),
    );
    expect(res.status).toBe(400);
    const json = await body(res);
    expect(json.error).toBe('invalid_request');
    expect(json.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('prototype-pollution keys change nothing', async () => {
    const h = harness();
    const raw =
      '{"username":"polly","password":"password-1","__proto__":{"roles":["admin"],"isAdmin":true},"constructor":{"prototype":{"x":1}}}';
    const res = await h.auth.handler(
      new Request(`${BASE}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      }),
    );
    expect(res.status).toBe(201);
    expect((await body(res)).user.roles).toEqual(['user']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('handler: login and token response', () => {
  it('JSON and form logins give an RFC 6749 token response with no-store', async () => {
    const { h } = await registered();
    for (const req of [
      jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
      formRequest('/auth/login', { username: 'alice', password: 'password-1' }),
    ]) {
      const res = await h.auth.handler(req, client);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const json = await body(res);
      expect(Object.keys(json).sort()).toEqual([
        'access_token',
        'expires_in',
        'refresh_token',
        'token_type',
      ]);
      expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    }
  });

  it('401 invalid_credentials with WWW-Authenticate: Bearer, same for unknown user', async () => {
    const { h } = await registered();
    const wrong = await h.auth.handler(
      jsonRequest('/auth/login', { username: 'alice', password: 'wrong-pass' }),
      client,
    );
    const unknown = await h.auth.handler(
      jsonRequest('/auth/login', { username: 'nobody', password: 'wrong-pass' }),
      client,
    );
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual({
      error: 'invalid_credentials',
      error_description: expect.any(String),
    });
    expect(a).not.toContain('access_token');
  });

  it('429 rate_limited with Retry-After', async () => {
    const h = harness({ rateLimit: { maxAttempts: 2, window: 120 } });
    await registered(h);
    for (let i = 0; i < 2; i++) {
      await h.auth.handler(
        jsonRequest('/auth/login', { username: 'alice', password: 'wrong-pass' }),
        client,
      );
    }
    const res = await h.auth.handler(
      jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
      client,
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await body(res)).toMatchObject({ error: 'rate_limited' });
  });
});

describe('handler: token endpoint (RFC 6749)', () => {
  it('password and refresh_token grants', async () => {
    const { h } = await registered();
    const res = await h.auth.handler(
      formRequest('/auth/token', {
        grant_type: 'password',
        username: 'alice',
        password: 'password-1',
      }),
      client,
    );
    expect(res.status).toBe(200);
    const tokens = await body(res);
    const refreshed = await h.auth.handler(
      formRequest('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }),
    );
    expect(refreshed.status).toBe(200);
    expect((await body(refreshed)).refresh_token).not.toBe(tokens.refresh_token);
  });

  it('describes an over-long field in plain words', async () => {
    const { h } = await registered();
    const res = await h.auth.handler(
      formRequest('/auth/token', {
        grant_type: 'password',
        username: 'u'.repeat(300),
        password: 'p',
      }),
      client,
    );
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({
      error: 'invalid_request',
      error_description: 'username must be at most 64 characters',
    });
  });

  it('a password over the limit is refused as at login, whether 1 025 or 5 000 characters', async () => {
    const { h } = await registered();
    for (const length of [1025, 5000]) {
      const res = await h.auth.handler(
        formRequest('/auth/token', {
          grant_type: 'password',
          username: 'alice',
          password: 'p'.repeat(length),
        }),
        client,
      );
      expect(res.status, String(length)).toBe(400);
      expect(await body(res)).toMatchObject({
        error: 'invalid_request',
        error_description: 'password must be at most 1024 characters',
      });
    }
  });

  it('400 invalid_grant, invalid_request and unsupported_grant_type', async () => {
    const { h } = await registered();
    const cases: Array<[Record<string, string>, string]> = [
      [{ grant_type: 'password', username: 'alice', password: 'wrong-pass' }, 'invalid_grant'],
      [{ grant_type: 'refresh_token', refresh_token: 'nope' }, 'invalid_grant'],
      [{ grant_type: 'password', username: 'alice' }, 'invalid_request'],
      [{ grant_type: 'refresh_token' }, 'invalid_request'],
      [{ username: 'alice', password: 'password-1' }, 'invalid_request'],
      [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
      [{ grant_type: 'x'.repeat(100) }, 'unsupported_grant_type'],
    ];
    for (const [fields, code] of cases) {
      const res = await h.auth.handler(formRequest('/auth/token', fields), client);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await body(res)).error).toBe(code);
    }
    const repeated = await h.auth.handler(
      new Request(`${BASE}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&grant_type=refresh_token',
      }),
    );
    expect(repeated.status).toBe(400);
    expect(await body(repeated)).toMatchObject({
      error: 'invalid_request',
      error_description: 'the parameter grant_type is repeated',
    });
    // A name that is not plain is not echoed: the description stays RFC 6749 §5.2 text.
    const odd = encodeURIComponent(`a"\\\n\u202e<script>${'x'.repeat(30_000)}`);
    const echoed = await h.auth.handler(
      new Request(`${BASE}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${odd}=1&${odd}=2`,
      }),
    );
    expect(echoed.status).toBe(400);
    expect(await body(echoed)).toEqual({
      error: 'invalid_request',
      error_description: 'a parameter is repeated',
    });
  });

  it('takes form bodies only (RFC 6749 §4.3): JSON is a 400 invalid_request (§5.2), another type a 415', async () => {
    const { h } = await registered();
    const fields = { grant_type: 'password', username: 'alice', password: 'password-1' };
    const cases: Array<[string, string, number, string]> = [
      ['application/json', JSON.stringify(fields), 400, 'invalid_request'],
      ['application/vnd.api+json', JSON.stringify(fields), 400, 'invalid_request'],
      ['application/json', '{"grant_type":', 400, 'invalid_request'],
      ['text/plain', new URLSearchParams(fields).toString(), 415, 'unsupported_media_type'],
    ];
    for (const [type, text, status, error] of cases) {
      const res = await h.auth.handler(
        new Request(`${BASE}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': type },
          body: text,
        }),
        client,
      );
      expect(res.status, type).toBe(status);
      expect(await body(res), type).toEqual({
        error,
        error_description:
          'the token endpoint takes application/x-www-form-urlencoded parameters only',
      });
    }
    // /auth/login and /auth/refresh still take JSON.
    expect((await h.auth.handler(jsonRequest('/auth/login', fields), client)).status).toBe(200);
  });

  it('refuses a scope it cannot grant with invalid_scope (RFC 6749 §3.3), before any hashing', async () => {
    const { h } = await registered();
    const login = await body(
      await h.auth.handler(
        formRequest('/auth/token', {
          grant_type: 'password',
          username: 'alice',
          password: 'password-1',
        }),
        client,
      ),
    );
    const cases: Array<Record<string, string>> = [
      { grant_type: 'password', username: 'alice', password: 'password-1', scope: 'admin' },
      { grant_type: 'password', username: 'alice', password: 'wrong-pass', scope: 'read write' },
      { grant_type: 'refresh_token', refresh_token: login.refresh_token, scope: 'admin' },
    ];
    for (const fields of cases) {
      const res = await h.auth.handler(formRequest('/auth/token', fields), client);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await body(res)).error, JSON.stringify(fields)).toBe('invalid_scope');
    }
    // The refresh token refused with a scope was not spent; an empty scope is no scope.
    const refreshed = await h.auth.handler(
      formRequest('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: login.refresh_token,
        scope: ' ',
      }),
    );
    expect(refreshed.status).toBe(200);
  });

  it('form bodies: a parameter without a value is omitted (RFC 6749 §3.2); bytes that are not UTF-8 are refused', async () => {
    const { h } = await registered();
    const post = (text: string) =>
      h.auth.handler(
        new Request(`${BASE}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: text,
        }),
        client,
      );
    const ok = await post(
      'grant_type=password&&username=alice&password=password-1&scope=&scope=&client_id',
    );
    expect(ok.status).toBe(200);
    const empty = await post('grant_type=refresh_token&refresh_token=');
    expect(empty.status).toBe(400);
    expect(await body(empty)).toMatchObject({
      error: 'invalid_request',
      error_description: 'refresh_token is required',
    });
    // `+` is a space and `%XX` a byte, as in any form; a stray `%` stays.
    const spaced = await post('grant_type=password&username=%61lice&password=password%2D1');
    expect(spaced.status).toBe(200);
    for (const text of ['grant_type=password&username=b%F6b&password=password-1', '%FF=1']) {
      const res = await post(text);
      expect(res.status, text).toBe(400);
      expect(await body(res)).toMatchObject({ error: 'invalid_request' });
    }
    const stray = await post('grant_type=password&username=al%ice&password=password-1');
    expect(stray.status).toBe(400);
    expect((await body(stray)).error).toBe('invalid_grant');
  });
});

describe('handler: refresh, logout, me, jwks', () => {
  it('refresh rotates; reuse after the grace window revokes the family (401 invalid_grant)', async () => {
    const { h, tokens } = await registered();
    const res = await h.auth.handler(
      jsonRequest('/auth/refresh', { refresh_token: tokens.refresh_token }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const next = await body(res);
    h.clock.advanceSeconds(11);
    const replay = await h.auth.handler(
      jsonRequest('/auth/refresh', { refresh_token: tokens.refresh_token }),
    );
    expect(replay.status).toBe(401);
    expect(await body(replay)).toMatchObject({ error: 'invalid_grant' });
    const newest = await h.auth.handler(
      formRequest('/auth/refresh', { refresh_token: next.refresh_token }),
    );
    expect(newest.status).toBe(401);
  });

  it('refresh without a token, or with one not a string, is 400 invalid_request', async () => {
    const h = harness();
    const res = await h.auth.handler(jsonRequest('/auth/refresh', {}));
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({
      error: 'invalid_request',
      error_description: 'refresh_token is required',
    });
    // A value of another type is named for what is wrong with it.
    const wrong = await h.auth.handler(jsonRequest('/auth/refresh', { refresh_token: 123 }));
    expect(wrong.status).toBe(400);
    expect(await body(wrong)).toMatchObject({
      error: 'invalid_request',
      error_description: 'refresh_token must be a string',
      issues: [{ path: 'refresh_token', message: 'must be a string' }],
    });
  });

  it('logout is always 204 and revokes the family; all:true with a bearer revokes every session', async () => {
    const { h, tokens } = await registered();
    expect(
      (await h.auth.handler(jsonRequest('/auth/logout', { refresh_token: 'unknown' }))).status,
    ).toBe(204);
    expect(
      (await h.auth.handler(jsonRequest('/auth/logout', { refresh_token: tokens.refresh_token })))
        .status,
    ).toBe(204);
    expect(
      (await h.auth.handler(jsonRequest('/auth/refresh', { refresh_token: tokens.refresh_token })))
        .status,
    ).toBe(401);

    const a = await body(
      await h.auth.handler(
        jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
        client,
      ),
    );
    const b = await body(
      await h.auth.handler(
        jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
        client,
      ),
    );
    const all = await h.auth.handler(
      jsonRequest(
        '/auth/logout',
        { all: true },
        { headers: { authorization: `Bearer ${a.access_token}` } },
      ),
    );
    expect(all.status).toBe(204);
    for (const t of [a, b]) {
      expect(
        (await h.auth.handler(jsonRequest('/auth/refresh', { refresh_token: t.refresh_token })))
          .status,
      ).toBe(401);
    }
    // Always 204: without a valid bearer token `all` revokes nothing and says nothing.
    const c = await h.auth.login({ username: 'alice', password: 'password-1' });
    const noBearer = await h.auth.handler(jsonRequest('/auth/logout', { all: true }));
    expect(noBearer.status).toBe(204);
    const badBearer = await h.auth.handler(
      new Request(`${BASE}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
        body: JSON.stringify({ all: true }),
      }),
    );
    expect(badBearer.status).toBe(204);
    await expect(h.auth.refresh(c.refresh_token)).resolves.toBeDefined();
  });

  it('logout with only a bearer token revokes that session', async () => {
    const { h, tokens } = await registered();
    const res = await h.auth.handler(
      new Request(`${BASE}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}` },
      }),
    );
    expect(res.status).toBe(204);
    expect(
      (await h.auth.handler(jsonRequest('/auth/refresh', { refresh_token: tokens.refresh_token })))
        .status,
    ).toBe(401);
  });

  it('me: 200 the user; 401 without a token, with a challenge', async () => {
    const { h, tokens, user } = await registered();
    const res = await h.auth.handler(
      getRequest('/auth/me', { authorization: `bEaReR ${tokens.access_token}` }),
    );
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(user);
    const none = await h.auth.handler(getRequest('/auth/me'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="auth"');
    const basic = await h.auth.handler(getRequest('/auth/me', { authorization: 'Basic YTpi' }));
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).not.toContain('error=');
    const bad = await h.auth.handler(
      getRequest('/auth/me', { authorization: 'Bearer abc.def.ghi' }),
    );
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="/,
    );
    h.clock.advanceSeconds(1000);
    const expired = await h.auth.handler(
      getRequest('/auth/me', { authorization: `Bearer ${tokens.access_token}` }),
    );
    expect(expired.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="token expired"',
    );
    // The body names the same RFC 6750 code as the challenge, and says why.
    expect(await body(expired)).toEqual({
      error: 'invalid_token',
      error_description: 'token expired',
    });
  });

  it('me: a token in the query string is not accepted', async () => {
    const { h, tokens } = await registered();
    const res = await h.auth.handler(getRequest(`/auth/me?access_token=${tokens.access_token}`));
    expect(res.status).toBe(401);
  });

  it('jwks: empty for HS256, cacheable', async () => {
    const h = harness();
    const res = await h.auth.handler(getRequest('/.well-known/jwks.json'));
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ keys: [] });
    expect(res.headers.get('cache-control')).toMatch(/max-age=/);
  });
});

describe('handler: malformed input is 4xx, never 500', () => {
  it('413 for an oversized body, even without content-length, without reading it all', async () => {
    const h = harness();
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        if (pulled > 1000) controller.close();
      },
    });
    const res = await h.auth.handler(
      new Request(`${BASE}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect((await body(res)).error).toBe('payload_too_large');
    expect(pulled).toBeLessThan(10);
    const declared = await h.auth.handler(
      new Request(`${BASE}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(70_000),
      }),
    );
    expect(declared.status).toBe(413);
  });

  it('a JSON member given twice is refused, as a repeated form parameter is (read two ways otherwise)', async () => {
    const { h } = await registered();
    const send = (text: string) =>
      h.auth.handler(
        new Request(`${BASE}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        }),
        client,
      );
    const cases: Array<[string, string]> = [
      [
        '{"username":"alice","password":"wrong-pass","password":"password-1"}',
        'the member password is repeated',
      ],
      // Escapes are decoded before names are compared.
      [
        '{"username":"alice","pass\\u0077ord":"wrong-pass","password":"password-1"}',
        'the member password is repeated',
      ],
      [
        '{ "username" : "alice" , "username":"bob","password":"password-1"}',
        'the member username is repeated',
      ],
      ['{"<x>":1,"<x>":2}', 'a member is repeated'],
    ];
    for (const [text, description] of cases) {
      const res = await send(text);
      expect(res.status, text).toBe(400);
      expect(await body(res), text).toEqual({
        error: 'invalid_request',
        error_description: description,
      });
    }
    // Names repeated only inside nested values or string values are no repetition.
    const nested =
      '{"username":"alice","password":"password-1","x":{"password":1,"a":[{"password":2}]},"y":"\\"password\\":"}';
    expect((await send(nested)).status).toBe(200);
  });

  it('400 for invalid JSON, non-object JSON and bad UTF-8; 415 for other types', async () => {
    const h = harness();
    const send = (body: BodyInit, type: string) =>
      h.auth.handler(
        new Request(`${BASE}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        }),
      );
    expect((await send('{"username":', 'application/json')).status).toBe(400);
    expect((await send('[1,2]', 'application/json')).status).toBe(400);
    expect((await send('"str"', 'application/json')).status).toBe(400);
    expect((await send(new Uint8Array([0x7b, 0xff, 0x7d]), 'application/json')).status).toBe(400);
    const xml = await send('<x/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect((await body(xml)).error).toBe('unsupported_media_type');
    expect((await send('username=a', 'text/plain')).status).toBe(415);
  });

  it('415 for a JSON or form body declared in a charset other than UTF-8', async () => {
    const h = harness();
    await h.auth.register({ username: 'alice', password: 'password-123' });
    const json = JSON.stringify({ username: 'alice', password: 'password-123' });
    const form = 'username=alice&password=password-123';
    const login = (type: string, text: string) =>
      h.auth.handler(
        new Request(`${BASE}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': type },
          body: text,
        }),
      );
    for (const [type, text] of [
      ['application/json; charset=utf-16', json],
      ['application/json;charset="UTF-16LE"', json],
      ['application/json; charset=iso-8859-1', json],
      ['application/x-www-form-urlencoded; charset=windows-1252', form],
    ] as const) {
      const refused = await login(type, text);
      expect(refused.status, type).toBe(415);
      expect(await body(refused), type).toEqual({
        error: 'unsupported_media_type',
        error_description: 'the request body must be UTF-8: send charset=utf-8 or no charset',
      });
    }
    // An empty body has no characters to misread: it is no body, whatever its charset.
    const logout = await h.auth.handler(
      new Request(`${BASE}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-16' },
      }),
    );
    expect(logout.status).toBe(204);
    for (const [type, text] of [
      ['application/json; charset=utf-8', json],
      ['application/json; Charset="UTF-8"', json],
      ['application/json;charset=utf8', json],
      ['application/json; charset=us-ascii', json],
      ['application/x-www-form-urlencoded; charset=UTF-8', form],
    ] as const) {
      expect((await login(type, text)).status, type).toBe(200);
    }
  });

  it('415 for a coded (compressed) body; identity is no coding', async () => {
    const h = harness();
    await h.auth.register({ username: 'alice', password: 'password-123' });
    const login = (coding: string) =>
      h.auth.handler(
        new Request(`${BASE}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': coding },
          body: JSON.stringify({ username: 'alice', password: 'password-123' }),
        }),
      );
    for (const coding of ['gzip', 'br', 'deflate', 'x-unknown', 'gzip, identity']) {
      const refused = await login(coding);
      expect(refused.status, coding).toBe(415);
      expect(await body(refused)).toMatchObject({
        error: 'unsupported_media_type',
        error_description: expect.stringMatching(/content coding/),
      });
    }
    expect((await login('identity')).status).toBe(200);
    expect((await login(' Identity ')).status).toBe(200);
  });

  it('401 invalid_grant for a bad refresh token carries a challenge, as every 401 does', async () => {
    const h = harness();
    const refused = await h.auth.handler(jsonRequest('/auth/refresh', { refresh_token: 'nope' }));
    expect(refused.status).toBe(401);
    expect(await body(refused)).toMatchObject({ error: 'invalid_grant' });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    // At the OAuth token endpoint the same error is RFC 6749's 400, without a challenge.
    const token = await h.auth.handler(
      formRequest('/auth/token', { grant_type: 'refresh_token', refresh_token: 'nope' }),
    );
    expect(token.status).toBe(400);
    expect(token.headers.get('www-authenticate')).toBeNull();
  });

  it('404 for unknown routes, 405 with Allow for wrong methods', async () => {
    const h = harness();
    const missing = await h.auth.handler(getRequest('/auth/nope'));
    expect(missing.status).toBe(404);
    expect((await body(missing)).error).toBe('not_found');
    const wrong = await h.auth.handler(getRequest('/auth/login'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(h.auth.handles('/auth/login')).toBe(true);
    expect(h.auth.handles('/protected')).toBe(false);
  });

  it('a storage failure is a bare 500 that reveals nothing', async () => {
    const h = harness();
    h.storage.users.findUserByUsername = async () => {
      throw new Error('connection to 10.0.0.5 failed: password=hunter2');
    };
    const res = await h.auth.handler(
      jsonRequest('/auth/login', { username: 'alice', password: 'password-1' }),
      client,
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: 'internal_error',
      error_description: 'internal error',
    });
    expect(text).not.toContain('hunter2');
  });
});

describe('handler: internal errors', () => {
  const login = () =>
    jsonRequest('/auth/login?access_token=secret-in-query', {
      username: 'alice',
      password: 'correct horse',
    });

  it('answers a bare 500 and, by default, logs one line: the route and the kind, not the message', async () => {
    const h = harness();
    const bug = new TypeError('connection to 10.0.0.5 failed: password=hunter2');
    h.storage.users.findUserByUsername = () => Promise.reject(bug);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await h.auth.handler(login());
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({
        error: 'internal_error',
        error_description: 'internal error',
      });
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]).toEqual([
        '@auth/core: POST /auth/login answered 500 internal_error (TypeError); set the onError option to see the error',
      ]);
      expect(JSON.stringify(log.mock.calls)).not.toMatch(/hunter2|secret-in-query/);
    } finally {
      log.mockRestore();
    }
  });

  it('hands the error, the method and the path to onError instead', async () => {
    const seen: unknown[][] = [];
    const h = harness({
      onError: (error, request) => {
        seen.push([error, request]);
        throw new Error('a broken listener changes nothing');
      },
    });
    const bug = new Error('storage bug');
    h.storage.users.findUserByUsername = () => Promise.reject(bug);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await h.auth.handler(login())).status).toBe(500);
      expect(seen).toEqual([[bug, { method: 'POST', path: '/auth/login' }]]);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it('leaves no unhandled rejection behind an async onError that fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const h = harness({ onError: async () => Promise.reject(new Error('reporter down')) });
      h.storage.users.findUserByUsername = () => Promise.reject(new Error('storage bug'));
      expect((await h.auth.handler(login())).status).toBe(500);
      // Node reports an unhandled rejection once the microtask queue has drained.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('logs nothing for a refusal of the request', async () => {
    const h = harness();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await h.auth.handler(jsonRequest('/auth/login', { username: 'x' }));
      expect(res.status).toBe(400);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});
