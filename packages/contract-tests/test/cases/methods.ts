/** Methods (RFC 9110 §9): 405 with `Allow`, and `HEAD` as `GET` without the body. */
import { expect, it } from 'vitest';
import type { ExampleRef, SessionRef } from '../fixture.js';
import { ADMIN } from '../harness.js';
import { expectError, type HttpResponse, rawRequest, request } from '../http.js';
import { login } from '../users.js';

/** What `HEAD` must answer like `GET`: the status and headers, without the body. */
function expectHeadLikeGet(head: HttpResponse, get: HttpResponse): void {
  const label = `${head.label} vs ${get.label} → ${get.status} ${get.text.slice(0, 200)}`;
  expect(head.status, label).toBe(get.status);
  expect(head.text, `${label}: a HEAD answer has no body`).toBe('');
  for (const name of ['content-type', 'cache-control', 'www-authenticate', 'allow']) {
    expect(head.headers.get(name), `${label}: ${name}`).toBe(get.headers.get(name));
  }
  // When GET states its Content-Length, so does HEAD; when HEAD sends one, it is GET's.
  const length = head.headers.get('content-length');
  if (get.headers.has('content-length')) expect(length, `${label}: content-length`).not.toBeNull();
  if (length !== null) expect(Number(length), label).toBe(Buffer.byteLength(get.text));
}

/** 405 and HEAD cases; `session` is a logged-in user with the role `user` only. */
export function methodCases(example: ExampleRef, session: SessionRef): void {
  it('a method an auth route does not serve → 405 with Allow listing the methods it does', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/auth/token', 'POST'],
      ['DELETE', '/auth/login', 'POST'],
      ['PUT', '/auth/register', 'POST'],
      ['GET', '/auth/refresh', 'POST'],
      ['POST', '/auth/me', 'GET, HEAD'],
      ['DELETE', '/.well-known/jwks.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request(example.url, path, {
        method,
        headers: { accept: 'application/json' },
      });
      expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow'), `Allow of ${method} ${path}`).toBe(allow);
    }
  });

  it('TRACE, which Fetch refuses to carry, is a 405 with Allow like any other method', async () => {
    const cases: Array<[string, string]> = [
      ['/auth/token', 'POST'],
      ['/auth/login', 'POST'],
      ['/auth/me', 'GET, HEAD'],
      ['/.well-known/jwks.json', 'GET, HEAD'],
      ['/ping', 'GET, HEAD'],
      ['/protected', 'GET, HEAD'],
    ];
    for (const [path, allow] of cases) {
      const headers = { accept: 'application/json' };
      const res = await rawRequest(example.url, path, { method: 'TRACE', headers });
      expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow'), `Allow of TRACE ${path}`).toBe(allow);
    }
  });

  it("another method on the app's own routes → 405 with Allow: GET, HEAD, as on the auth routes", async () => {
    const json = { accept: 'application/json' };
    // The core's 405 on an auth route that serves GET and HEAD: the same body and headers.
    const core = await request(example.url, '/auth/me', { method: 'DELETE', headers: json });
    expectError(core, 405, 'method_not_allowed');
    const token = session.tokens.access_token;
    for (const path of ['/ping', '/protected', '/admin']) {
      const cases: Array<[string, Parameters<typeof request>[2]]> = [
        ['POST', { json: { a: 1 }, headers: json }],
        ['PUT', { method: 'PUT', headers: json }],
        ['DELETE', { method: 'DELETE', headers: json }],
        ['PATCH', { method: 'PATCH', headers: json }],
        ['OPTIONS', { method: 'OPTIONS', headers: json }],
        // A valid token changes nothing: the method is refused before authentication.
        ['POST with a bearer token', { method: 'POST', token, headers: json }],
      ];
      for (const [what, options] of cases) {
        const res = await request(example.url, path, options);
        expectError(res, 405, 'method_not_allowed');
        expect(res.headers.get('allow'), `Allow of ${what} ${path}`).toBe('GET, HEAD');
        expect(res.body, `${what} ${path}`).toEqual(core.body);
        for (const name of ['content-type', 'cache-control', 'pragma']) {
          expect(res.headers.get(name), `${name} of ${what} ${path}`).toBe(core.headers.get(name));
        }
      }
    }
  });

  it('HEAD answers like GET without a body on every GET route', async () => {
    const admin = await login(example.url, ADMIN);
    const cases: Array<[string, string | undefined]> = [
      ['/ping', undefined],
      ['/protected', undefined],
      ['/protected', session.tokens.access_token],
      ['/admin', session.tokens.access_token],
      ['/admin', admin.access_token],
      ['/auth/me', undefined],
      ['/auth/me', session.tokens.access_token],
      ['/.well-known/jwks.json', undefined],
      ['/openapi.json', undefined],
    ];
    for (const [path, token] of cases) {
      const options = token === undefined ? {} : { token };
      const get = await request(example.url, path, options);
      const head = await request(example.url, path, { ...options, method: 'HEAD' });
      expect(get.status, `GET ${path} → ${get.status}`).toBeLessThan(500);
      expectHeadLikeGet(head, get);
    }
  });
}
