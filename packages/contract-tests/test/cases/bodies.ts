/** Request bodies: the 64 KiB cap, non-JSON input, prototype pollution. Never a 500. */
import { request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import {
  expectError,
  expectJson,
  type HttpResponse,
  rawRequest,
  request,
  sendRaw,
} from '../http.js';
import { decodeJwt } from '../jwt.js';
import { login, newPassword, registerUser, uniqueName } from '../users.js';

const BODY_ROUTES = [
  '/auth/register',
  '/auth/login',
  '/auth/token',
  '/auth/refresh',
  '/auth/logout',
];
const KIB = 1024;

function expect4xx(res: HttpResponse, allowed: number[]): void {
  expect(allowed, `${res.label} → ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
  expectError(res, res.status);
}

/** Body cases. */
export function bodyCases(example: ExampleRef): void {
  const ping = async () => expectJson(await request(example.url, '/ping'), 200);

  it('a body over 64 KiB (with Content-Length) → 413 on every auth route', async () => {
    const big = JSON.stringify({ username: 'someone', password: 'x'.repeat(65 * KIB) });
    for (const path of BODY_ROUTES) {
      const res = await request(example.url, path, {
        body: big,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 413);
    }
    await ping();
  });

  it('Expect: 100-continue with a declared body over 64 KiB → 413 at once, no 100 Continue (RFC 9110 §10.1.1)', async () => {
    for (const path of BODY_ROUTES) {
      const head =
        `POST ${path} HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${70 * KIB}\r\nExpect: 100-continue\r\n\r\n`;
      // Only the head is sent: the final answer must come without the body.
      const res = await sendRaw(example.url, head);
      expect(res.status, `${path}: the first answer`).toBe(413);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(JSON.parse(res.text), path).toMatchObject({ error: expect.any(String) });
    }
    // Within the cap, the client is asked for its body and gets the route's own answer.
    const answer = await new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
      const body = JSON.stringify({ username: uniqueName('cont'), password: 'wrong-password' });
      let continued = false;
      const req = httpRequest(`${example.url}/auth/login`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          expect: '100-continue',
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }));
      });
      req.on('error', reject);
    });
    expect(answer).toEqual({ continued: true, status: 401 });
    await ping();
  });

  it('a JSON member given twice → 400 invalid_request, like a repeated form parameter', async () => {
    const user = await registerUser(example.url, 'dupjson');
    const text = `{"username":${JSON.stringify(user.username)},"password":"wrong-password","password":${JSON.stringify(user.password)}}`;
    const res = await request(example.url, '/auth/login', {
      body: text,
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'invalid_request');
    expect(res.text).not.toMatch(/access_token/);
  });

  it('a chunked body over 64 KiB (no Content-Length) → 413, and the server keeps serving', async () => {
    for (const path of ['/auth/register', '/auth/login']) {
      const res = await rawRequest(example.url, path, {
        headers: { 'content-type': 'application/json' },
        chunks: Array.from({ length: 5 }, () => new Uint8Array(16 * KIB).fill(0x20)),
      });
      expectError(res, 413);
    }
    await ping();
  });

  it('a body of exactly 64 KiB is read, not refused as too large', async () => {
    const prefix = '{"username":"ab","password":"';
    const body = `${prefix}${'p'.repeat(64 * KIB - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(64 * KIB);
    const res = await request(example.url, '/auth/register', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'invalid_request');
  });

  it('malformed JSON → 400 invalid_request on every auth route', async () => {
    for (const path of BODY_ROUTES) {
      for (const body of [
        '{"username":',
        '{username: "a"}',
        "{'a':1}",
        '\u00ff\u00fe',
        '{"a":1}}',
      ]) {
        const res = await request(example.url, path, {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expectError(res, 400, 'invalid_request');
      }
    }
  });

  it('JSON that is not an object (array, string, number, null) → 400 invalid_request', async () => {
    for (const body of ['[]', '["a","b"]', '"text"', '42', 'null', 'true']) {
      const res = await request(example.url, '/auth/register', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'invalid_request');
    }
  });

  it('a body that is not valid UTF-8 → 400 invalid_request', async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await request(example.url, '/auth/login', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'invalid_request');
  });

  it('a wrong content type (text/plain, XML, multipart) → 415 or 400, never 500', async () => {
    const types = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x'];
    for (const path of BODY_ROUTES) {
      for (const type of types) {
        const res = await request(example.url, path, {
          body: '{"username":"someone","password":"a-password"}',
          headers: { 'content-type': type },
        });
        expect4xx(res, [400, 415]);
      }
    }
  });

  it('a body with a Content-Encoding (gzip, br) is not taken as plain JSON → 415', async () => {
    const user = { username: uniqueName('coded'), password: newPassword() };
    expect((await request(example.url, '/auth/register', { json: user })).status).toBe(201);
    for (const coding of ['gzip', 'br', 'deflate']) {
      const res = await request(example.url, '/auth/login', {
        body: JSON.stringify(user),
        headers: { 'content-type': 'application/json', 'content-encoding': coding },
      });
      expectError(res, 415, 'unsupported_media_type');
    }
    const plain = await request(example.url, '/auth/login', {
      body: JSON.stringify(user),
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
  });

  it('a JSON or form body declared in a charset other than UTF-8 → 415; charset=utf-8 is read', async () => {
    const user = { username: uniqueName('charset'), password: newPassword() };
    expect((await request(example.url, '/auth/register', { json: user })).status).toBe(201);
    const form = new URLSearchParams(user).toString();
    const login = (type: string) =>
      request(example.url, '/auth/login', {
        body: type.startsWith('application/json') ? JSON.stringify(user) : form,
        headers: { 'content-type': type },
      });
    expectError(await login('application/json; charset=utf-16'), 415, 'unsupported_media_type');
    expectError(await login('application/json; charset=iso-8859-1'), 415, 'unsupported_media_type');
    const latin1Form = 'application/x-www-form-urlencoded; charset=iso-8859-1';
    expectError(await login(latin1Form), 415, 'unsupported_media_type');
    expect((await login('application/json; charset=UTF-8')).status).toBe(200);
    expect((await login('application/x-www-form-urlencoded; charset=utf-8')).status).toBe(200);
  });

  it('an unsupported body of allowed size is read before the 415: fetch never loses the answer (30 times each)', async () => {
    const multipart = () => {
      const form = new FormData();
      form.append('username', 'someone');
      form.append('password', 'a-password');
      return form;
    };
    const uploads: Array<[string, () => RequestInit]> = [
      ['multipart/form-data (FormData)', () => ({ body: multipart() })],
      [
        'a 60 KiB multipart file',
        () => {
          const form = multipart();
          form.append('file', new Blob([new Uint8Array(60 * KIB)]), 'file.bin');
          return { body: form };
        },
      ],
      [
        '60 KiB of application/octet-stream',
        () => ({
          body: new Uint8Array(60 * KIB),
          headers: { 'content-type': 'application/octet-stream' },
        }),
      ],
    ];
    for (const [what, init] of uploads) {
      for (let i = 0; i < 30; i++) {
        const response = await fetch(`${example.url}/auth/login`, { method: 'POST', ...init() })
          .then(async (r) => ({ status: r.status, text: await r.text() }))
          .catch((error: Error) => ({ status: 0, text: `${error.message}: ${error.cause}` }));
        expect(response, `${what}, try ${i + 1}`).toMatchObject({ status: 415 });
        expect(JSON.parse(response.text)).toMatchObject({ error: 'unsupported_media_type' });
      }
    }
    await ping();
  });

  it('a 404 or 405 to a request with an unread body of allowed size never loses the answer (30 times each)', async () => {
    const cases: Array<[string, number]> = [
      ['/auth/me', 405],
      ['/nope', 404],
      ['/protected', 405],
    ];
    for (const [path, status] of cases) {
      for (let i = 0; i < 30; i++) {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(16 * KIB)]), 'file.bin');
        const answered = await fetch(`${example.url}${path}`, { method: 'POST', body: form })
          .then(async (r) => ({ status: r.status, text: await r.text() }))
          .catch((error: Error) => ({ status: 0, text: `${error.message}: ${error.cause}` }));
        expect(answered, `POST ${path}, try ${i + 1}`).toMatchObject({ status });
      }
    }
    await ping();
  });

  it('malformed JSON sent to the app routes → a 4xx JSON error, never 500', async () => {
    const paths = ['/ping', '/protected', '/admin', '/nope', '/auth/me', '/.well-known/jwks.json'];
    for (const path of paths) {
      for (const method of ['POST', 'PUT']) {
        const res = await request(example.url, path, {
          method,
          body: '{"broken": ',
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${method} ${path} → ${res.status} ${res.text}`).toBeGreaterThanOrEqual(
          400,
        );
        expect(res.status, `${method} ${path} → ${res.status} ${res.text}`).toBeLessThan(500);
        expectError(res, res.status);
      }
    }
    await ping();
  });

  it('__proto__ and constructor keys grant no roles and break nothing', async () => {
    const username = uniqueName('proto');
    const password = newPassword();
    const polluted = `{"username":${JSON.stringify(username)},"password":${JSON.stringify(password)},"__proto__":{"roles":["admin"],"isAdmin":true,"admin":true},"constructor":{"prototype":{"roles":["admin"]}},"prototype":{"roles":["admin"]}}`;
    const res = await request(example.url, '/auth/register', {
      body: polluted,
      headers: { 'content-type': 'application/json' },
    });
    expectJson(res, 201);
    expect((res.body as { user: { roles: string[] } }).user.roles).toEqual(['user']);
    const tokens = await login(example.url, { username, password });
    expect(decodeJwt(tokens.access_token).payload.roles).toEqual(['user']);
    expectError(await request(example.url, '/admin', { token: tokens.access_token }), 403);

    // Fields only on a prototype do not count as given.
    const inherited = await request(example.url, '/auth/register', {
      body: `{"__proto__":{"username":${JSON.stringify(uniqueName('inh'))},"password":"a-long-password"}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectError(inherited, 400, 'invalid_request');
    const form = await request(example.url, '/auth/register', {
      body: `__proto__[roles]=admin&constructor[prototype][roles]=admin&__proto__=x&username=${uniqueName('form')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(form, 400, 'invalid_request');
    const loginProto = await request(example.url, '/auth/login', {
      body: `{"__proto__":{"username":${JSON.stringify(username)},"password":${JSON.stringify(password)}}}`,
      headers: { 'content-type': 'application/json' },
    });
    expectError(loginProto, 400, 'invalid_request');

    // The process is not polluted: a later, plain registration is an ordinary user.
    const later = await request(example.url, '/auth/register', {
      json: { username: uniqueName('after'), password: newPassword() },
    });
    expectJson(later, 201);
    expect((later.body as { user: { roles: string[] } }).user.roles).toEqual(['user']);
    expect(Object.keys(later.body as object)).toEqual(['user']);
    await ping();
  });
}
