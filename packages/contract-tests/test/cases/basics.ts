/** `GET /ping`, unknown routes, JWKS and the answers every API client gets. */
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectJson, rawRequest, request, sendRaw } from '../http.js';
import { login, registerUser } from '../users.js';

/** Routes without authentication. */
export function basicCases(example: ExampleRef): void {
  it('GET /ping → 200 {"ping":"pong"}', async () => {
    const res = await request(example.url, '/ping');
    expectJson(res, 200);
    expect(res.body).toEqual({ ping: 'pong' });
  });

  it('an unknown route → 404 JSON {"error":"not_found","error_description"}', async () => {
    for (const path of ['/nope', '/auth/nope', '/ping/extra', '/.well-known/nope', '/%E0%A4%A']) {
      const res = await request(example.url, path);
      expectError(res, 404, 'not_found');
    }
    const post = await request(example.url, '/nope', { json: { a: 1 } });
    expectError(post, 404, 'not_found');
  });

  it('routes are matched exactly: another case or a trailing slash is an unknown route (404)', async () => {
    for (const path of [
      '/PING',
      '/ping/',
      '/Protected',
      '/protected/',
      '/ADMIN',
      '/Auth/Me',
      '/auth/me/',
    ]) {
      const res = await request(example.url, path);
      expectError(res, 404, 'not_found');
    }
    expectJson(await request(example.url, '/ping?any=query'), 200);
  });

  it('paths are read as URLs resolve them: dot segments resolve, percent-encoded letters stay', async () => {
    // RFC 3986 §5.2.4: /./ping is /ping, on the app's routes as on the auth routes.
    for (const path of ['/./ping', '/nope/../ping', '/%2e/ping']) {
      const res = await rawRequest(example.url, path, { method: 'GET' });
      expectJson(res, 200);
      expect(res.body, path).toEqual({ ping: 'pong' });
    }
    for (const path of ['/./protected', '/auth/./me']) {
      expectError(await rawRequest(example.url, path, { method: 'GET' }), 401);
    }
    // An encoded letter is matched as sent, by every example alike: another path.
    for (const path of ['/p%69ng', '/pr%6Ftected', '/%61dmin', '/auth/m%65']) {
      expectError(await rawRequest(example.url, path, { method: 'GET' }), 404, 'not_found');
    }
  });

  it('GET /.well-known/jwks.json → 200 {"keys":[]} for HS256', async () => {
    const res = await request(example.url, '/.well-known/jwks.json');
    expectJson(res, 200);
    expect(res.body).toEqual({ keys: [] });
  });

  it('a method an auth route does not serve is a JSON error, not an HTML page', async () => {
    for (const path of ['/auth/token', '/auth/refresh', '/auth/me']) {
      const method = path === '/auth/me' ? 'DELETE' : 'GET';
      const res = await request(example.url, path, {
        method,
        headers: { accept: 'application/json' },
      });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
      expectError(res, res.status);
    }
  });

  it('an odd Host header or a backslash in the path is served, or refused as JSON 400, never 500', async () => {
    const odd: Array<[string, Record<string, string>]> = [
      ['/ping', { host: 'user@app.example' }],
      ['/ping', { host: 'app.example, evil.example' }],
      ['/auth/login', { host: 'app.example/x', accept: 'application/json' }],
      ['/ping\\..\\ping', {}],
    ];
    for (const [path, headers] of odd) {
      const res = await rawRequest(example.url, path, { method: 'GET', headers });
      if (res.status === 400) expectError(res, 400, 'invalid_request');
      else expect([200, 404, 405], `GET ${path} ${JSON.stringify(headers)}`).toContain(res.status);
      if (res.status !== 200) expectJson(res, res.status);
    }
  });

  it('a Host in capitals, with or without a port, is the same host (RFC 3986 §3.2.2)', async () => {
    const user = await registerUser(example.url);
    const { port } = new URL(example.url);
    for (const host of [`LOCALHOST:${port}`, 'App.Example:8080', 'APP.EXAMPLE']) {
      const ping = await rawRequest(example.url, '/ping', { method: 'GET', headers: { host } });
      expectJson(ping, 200);
      expect(ping.body, host).toEqual({ ping: 'pong' });
      const body = new TextEncoder().encode(
        JSON.stringify({ username: user.username, password: user.password }),
      );
      const signedIn = await rawRequest(example.url, '/auth/login', {
        headers: {
          host,
          'content-type': 'application/json',
          'content-length': String(body.length),
        },
        chunks: [body],
      });
      expectJson(signedIn, 200);
      const token = (signedIn.body as { access_token: string }).access_token;
      const prot = await rawRequest(example.url, '/protected', {
        method: 'GET',
        headers: { host, authorization: `Bearer ${token}` },
      });
      expectJson(prot, 200);
    }
  });

  it('an absolute-form request target is served like its path (RFC 9112 §3.2.2)', async () => {
    const user = await registerUser(example.url);
    const tokens = await login(example.url, user);
    const get = (path: string, headers: Record<string, string> = {}) =>
      rawRequest(example.url, path, { method: 'GET', headers, target: `http://app.test${path}` });
    const ping = await get('/ping');
    expectJson(ping, 200);
    expect(ping.body).toEqual({ ping: 'pong' });
    expectJson(await get('/.well-known/jwks.json'), 200);
    expectError(await get('/protected'), 401);
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    expectJson(await get('/protected', bearer), 200);
    const me = await get('/auth/me', bearer);
    expectJson(me, 200);
    expect(me.body).toMatchObject({ id: user.id });
    const body = new TextEncoder().encode('{}');
    const bad = await rawRequest(example.url, '/auth/login', {
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      chunks: [body],
      target: 'http://app.test/auth/login',
    });
    expectError(bad, 400, 'invalid_request');
    expectError(await get('/nope'), 404, 'not_found');
  });

  it("a request the HTTP parser refuses gets the parser's status with a JSON error body", async () => {
    const cases: Array<[string, number, string]> = [
      ['FOO /ping HTTP/1.1\r\nHost: x\r\n\r\n', 501, 'invalid_request'],
      ['GET /ping HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', 400, 'invalid_request'],
      [
        'GET /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
        400,
        'invalid_request',
      ],
      [
        'POST /auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        400,
        'invalid_request',
      ],
      [
        `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
        431,
        'invalid_request',
      ],
    ];
    for (const [bytes, status, code] of cases) {
      const res = await sendRaw(example.url, bytes);
      const label = bytes.slice(0, 60);
      expect(res.status, label).toBe(status);
      expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
      expect(res.headers.get('connection'), label).toBe('close');
      const body = JSON.parse(res.text) as Record<string, unknown>;
      expect(body.error, label).toBe(code);
      expect(body.error_description, label).toBeTypeOf('string');
    }
    // The server still answers.
    expectJson(await request(example.url, '/ping'), 200);
  });

  it('an Expect other than 100-continue → 417 with a JSON error body (RFC 9110 §10.1.1)', async () => {
    const body = new TextEncoder().encode('{}');
    const res = await rawRequest(example.url, '/auth/login', {
      headers: {
        expect: 'bogus',
        'content-type': 'application/json',
        'content-length': String(body.length),
      },
      chunks: [body],
    });
    expectError(res, 417, 'invalid_request');
    expectJson(await request(example.url, '/ping'), 200);
  });

  it('OPTIONS * (the asterisk form, RFC 9112 §3.2.4) names no route: the same JSON 404 on every example', async () => {
    const res = await sendRaw(
      example.url,
      'OPTIONS * HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n',
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(res.text)));
    expect(JSON.parse(res.text)).toEqual({
      error: 'not_found',
      error_description: 'no such route',
    });
    expectJson(await request(example.url, '/ping'), 200);
  });

  it('an HTTP/1.1 request without exactly one valid Host → 400 invalid_request as JSON (RFC 9112 §3.2)', async () => {
    for (const head of [
      'GET /ping HTTP/1.1\r\nHost: a.test\r\nHost: b.test',
      'GET /ping HTTP/1.1\r\nAccept: */*',
      'GET /ping HTTP/1.1\r\nHost: exa mple.test',
      'POST /auth/login HTTP/1.1\r\nHost: a.test\r\nHost: a.test\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}',
    ]) {
      const bytes = head.includes('\r\n\r\n') ? head : `${head}\r\nConnection: close\r\n\r\n`;
      const res = await sendRaw(example.url, bytes);
      expect(res.status, head).toBe(400);
      expect(res.headers.get('content-type'), head).toMatch(/^application\/json/);
      expect(JSON.parse(res.text), head).toMatchObject({ error: 'invalid_request' });
    }
    expectJson(await request(example.url, '/ping'), 200);
  });

  it('API clients (Accept */*, application/json or none) get the JSON contract', async () => {
    for (const accept of ['*/*', 'application/json', undefined]) {
      const headers: Record<string, string> = accept ? { accept } : {};
      const ping = await request(example.url, '/ping', { headers });
      expectJson(ping, 200);
      const bad = await request(example.url, '/auth/login', { json: {}, headers });
      expectError(bad, 400, 'invalid_request');
      const me = await request(example.url, '/auth/me', { headers });
      expectError(me, 401);
    }
  });
}
