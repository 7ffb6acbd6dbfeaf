/**
 * The handler's methods (405 with `Allow`, `HEAD` as `GET` without the body), answers whose
 * headers are all given at construction, and bodies read before a refusal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserHarness, browserLogin, ORIGIN } from './browser/helpers.js';
import { BASE, getRequest, harness, jsonRequest, registerAndLogin } from './helpers.js';

/** A request whose body is `chunks` chunks of 1 KiB; `pulled()` counts the chunks read. */
function streamed(path: string, method: string, type: string, chunks: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(1024).fill(0x61));
    },
  });
  const init = { method, headers: { 'content-type': type }, body, duplex: 'half' };
  return { request: new Request(BASE + path, init as RequestInit), pulled: () => pulled };
}

describe('handler: methods', () => {
  it('405 lists the methods of the route in Allow, HEAD wherever GET is', async () => {
    const h = harness();
    const cases: Array<[string, string, string]> = [
      ['GET', '/auth/token', 'POST'],
      ['DELETE', '/auth/login', 'POST'],
      ['POST', '/auth/me', 'GET, HEAD'],
      ['PUT', '/.well-known/jwks.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await h.auth.handler(new Request(BASE + path, { method }));
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
  });

  it('HEAD answers as GET does, without the body, with the Content-Length GET has', async () => {
    const h = harness();
    const { tokens } = await registerAndLogin(h);
    const authorization = `Bearer ${tokens.access_token}`;
    for (const [path, headers] of [
      ['/auth/me', { authorization }],
      ['/auth/me', {}],
      ['/.well-known/jwks.json', {}],
    ] as const) {
      const get = await h.auth.handler(getRequest(path, headers));
      const text = await get.text();
      const head = await h.auth.handler(new Request(BASE + path, { method: 'HEAD', headers }));
      expect(head.status, path).toBe(get.status);
      expect(head.body, path).toBeNull();
      expect(head.headers.get('content-length'), path).toBe(String(Buffer.byteLength(text)));
      for (const name of ['content-type', 'cache-control', 'www-authenticate']) {
        expect(head.headers.get(name), `${path} ${name}`).toBe(get.headers.get(name));
      }
    }
    const post = await h.auth.handler(new Request(`${BASE}/auth/login`, { method: 'HEAD' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('POST');
    expect(post.body).toBeNull();
  });
});

describe('handler: every header is given to the Response constructor', () => {
  // A `Response` that forgets header changes made after construction, as
  // @hono/node-server's lightweight one does once its body is read.
  class ForgetfulResponse extends Response {
    override get headers(): Headers {
      return new Headers(super.headers);
    }
  }
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps Allow on a 405, drops Pragma from the cacheable JWKS', async () => {
    const h = harness();
    vi.stubGlobal('Response', ForgetfulResponse);
    const wrong = await h.auth.handler(getRequest('/auth/token'));
    expect(wrong).toBeInstanceOf(ForgetfulResponse);
    expect(wrong.headers.get('allow')).toBe('POST');
    const jwks = await h.auth.handler(getRequest('/.well-known/jwks.json'));
    expect(jwks.headers.get('cache-control')).toMatch(/^public, max-age=/);
    expect(jwks.headers.get('pragma')).toBeNull();
  });

  it('keeps the Set-Cookie headers of a cookie logout', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    vi.stubGlobal('Response', ForgetfulResponse);
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          cookie: jar.header(),
          origin: ORIGIN,
          'x-csrf-token': jar.get('__Host-auth_csrf') ?? '',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toHaveLength(3);
  });
});

describe('handler: a body is read before it is refused', () => {
  it('415 after reading an unsupported body of allowed size, 413 beyond the cap', async () => {
    const h = harness();
    const small = streamed('/auth/login', 'POST', 'multipart/form-data; boundary=x', 60);
    const refused = await h.auth.handler(small.request);
    expect(refused.status).toBe(415);
    expect(small.pulled()).toBe(60);
    const large = streamed('/auth/login', 'POST', 'text/plain', 1000);
    const tooLarge = await h.auth.handler(large.request);
    expect(tooLarge.status).toBe(413);
    expect(large.pulled()).toBeLessThan(100);
  });

  it('404 and 405 after reading a body no route reads, up to the cap', async () => {
    const h = harness();
    const wrong = streamed('/auth/me', 'POST', 'application/json', 30);
    expect((await h.auth.handler(wrong.request)).status).toBe(405);
    expect(wrong.pulled()).toBe(30);
    const unknown = streamed('/auth/nope', 'POST', 'application/json', 30);
    expect((await h.auth.handler(unknown.request)).status).toBe(404);
    expect(unknown.pulled()).toBe(30);
    const large = streamed('/auth/me', 'POST', 'application/json', 1000);
    expect((await h.auth.handler(large.request)).status).toBe(405);
    expect(large.pulled()).toBeLessThan(100);
    const read = await h.auth.handler(jsonRequest('/auth/login', { username: 'a' }));
    expect(read.status).toBe(400);
  });
});
