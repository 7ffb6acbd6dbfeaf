import { request as httpRequest } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { authErrorHandler, authRouter } from '../src/index.js';
import { makeAuth, type Served, serve } from './helpers.js';

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const alice = { username: 'alice', password: 'correct horse battery' };

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function start(build: (app: express.Express) => void = (app) => app.use(authRouter(auth))) {
  const app = express();
  build(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', from: 'app' });
  });
  app.use(authErrorHandler(auth));
  served = await serve(app);
  return served.url;
}

let auth = makeAuth();
afterEach(() => {
  auth = makeAuth();
});

describe('authRouter', () => {
  it('serves register, login, me and the JWKS route', async () => {
    const url = await start();
    const registered = await fetch(`${url}/auth/register`, json(alice));
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ user: { username: 'alice', roles: ['user'] } });

    const login = await fetch(`${url}/auth/login`, json(alice));
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const tokens = (await login.json()) as { access_token: string; token_type: string };
    expect(tokens.token_type).toBe('Bearer');

    const me = await fetch(`${url}/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'alice' });

    const jwks = await fetch(`${url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(await jwks.json()).toEqual({ keys: [] });
  });

  it('serves the form-encoded token endpoint', async () => {
    await auth.register(alice);
    const url = await start();
    const res = await fetch(`${url}/auth/token`, form({ grant_type: 'password', ...alice }));
    expect(res.status).toBe(200);
    const bad = await fetch(
      `${url}/auth/token`,
      form({ grant_type: 'password', username: 'x', password: 'wrong-password' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('passes other paths on, and answers 405 with Allow for a wrong method', async () => {
    const url = await start();
    const other = await fetch(`${url}/auth/unknown`, json({}));
    expect(await other.json()).toEqual({ error: 'not_found', from: 'app' });
    const wrong = await fetch(`${url}/auth/login`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('answers 405 with Allow for TRACE, a method Fetch refuses to carry (not a 500)', async () => {
    const url = await start();
    const answer = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${url}${path}`, { method: 'TRACE' }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode} ${res.headers.allow}`));
        });
        req.on('error', reject).end();
      });
    expect(await answer('/auth/token')).toBe('405 POST');
    expect(await answer('/auth/me')).toBe('405 GET, HEAD');
  });

  it('routes by the request path, whatever the Host header says', async () => {
    const url = await start();
    const { port } = new URL(url);
    const status = (path: string, host: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        });
        req.on('error', reject).end();
      });
    expect(await status('/elsewhere', 'x/auth/me?')).toContain('"from":"app"');
    expect(await status('/auth/me', 'x#')).toMatch(/^401 .*unauthorized/);
    expect(await status('//auth/me', 'localhost')).toContain('"from":"app"');
  });

  it('refuses malformed JSON with 400 and a wrong content type with 415', async () => {
    const url = await start();
    const malformed = await fetch(`${url}/auth/login`, { ...json({}), body: '{"username":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
    const text = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'username=alice',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
    expect(text.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sees every Content-Type header sent, not only the first Node keeps: two are a 415', async () => {
    await auth.register(alice);
    const url = await start();
    const { port } = new URL(url);
    const body = JSON.stringify(alice);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/auth/login',
          method: 'POST',
          headers: {
            'content-type': ['application/json', 'text/plain'],
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'unsupported_media_type' });
    expect(answer.text).not.toContain('access_token');
  });

  it('still works after express.json() and express.urlencoded() consumed the body', async () => {
    await auth.register(alice);
    const url = await start((app) => {
      app.use(express.json(), express.urlencoded({ extended: false }));
      app.use(authRouter(auth));
    });
    expect((await fetch(`${url}/auth/login`, json(alice))).status).toBe(200);
    const token = await fetch(`${url}/auth/token`, form({ grant_type: 'password', ...alice }));
    expect(token.status).toBe(200);
    const malformed = await fetch(`${url}/auth/register`, json({ username: 'al' }));
    expect(malformed.status).toBe(400);
  });

  it('hands on a body that express.json() decoded from UTF-16 as UTF-8, and refuses it unparsed', async () => {
    await auth.register(alice);
    const utf16 = {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-16le' },
      body: Buffer.from(JSON.stringify(alice), 'utf16le'),
    };
    const parsed = await start((app) => {
      app.use(express.json());
      app.use(authRouter(auth));
    });
    expect((await fetch(`${parsed}/auth/login`, utf16)).status).toBe(200);
    // Without a parser the core reads the raw bytes, which it can only read as UTF-8: a 415.
    const raw = await start((app) => app.use(authRouter(auth)));
    const refused = await fetch(`${raw}/auth/login`, utf16);
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('passes the client address from the option to the login throttle', async () => {
    auth = makeAuth({ rateLimit: { maxAttempts: 2, window: 60 } });
    await auth.register(alice);
    const url = await start((app) =>
      app.use(authRouter(auth, { clientAddress: (req) => req.get('x-test-client') })),
    );
    const attempt = (client: string) =>
      fetch(`${url}/auth/login`, {
        ...json({ ...alice, password: 'wrong password' }),
        headers: { 'content-type': 'application/json', 'x-test-client': client },
      });
    expect((await attempt('a')).status).toBe(401);
    expect((await attempt('a')).status).toBe(401);
    const limited = await attempt('a');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('b')).status).toBe(401);
  });
});

describe('authRouter body cap', () => {
  const tenMiB = 10 * 1024 * 1024;

  /** Starts an app that records how many bytes the server read from each request's socket. */
  async function startCounting() {
    const read: number[] = [];
    const url = await start((app) => {
      app.use((req, res, next) => {
        res.on('finish', () => read.push(req.socket?.bytesRead ?? Number.NaN));
        next();
      });
      app.use(authRouter(auth));
    });
    return { url, read };
  }

  it('refuses a declared 10 MiB body with 413 without reading it', async () => {
    const { url, read } = await startCounting();
    const res = await fetch(`${url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array(tenMiB).fill(0x20),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect(read[0]).toBeLessThan(1024 * 1024);
  });

  it('refuses a streamed (chunked) 10 MiB body with 413 after reading little of it', async () => {
    const { url, read } = await startCounting();
    const { port } = new URL(url);
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/auth/login', method: 'POST' },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
          },
        );
        req.setHeader('content-type', 'application/json');
        req.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        let sent = 0;
        const write = (): void => {
          while (sent < tenMiB) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', write);
              return;
            }
          }
          req.end();
        };
        req.on('response', () => req.removeAllListeners('drain'));
        write();
      },
    );
    expect(answer).toEqual({ status: 413, connection: 'close' });
    expect(read[0]).toBeLessThan(1024 * 1024);
  });
});

describe('mounted under a prefix', () => {
  it('serves every route when the core paths lie under the prefix', async () => {
    auth = makeAuth({ basePath: '/api/auth', jwksPath: '/api/.well-known/jwks.json' });
    const url = await start((app) => app.use('/api', authRouter(auth)));
    expect((await fetch(`${url}/api/auth/register`, json(alice))).status).toBe(201);
    expect((await fetch(`${url}/api/auth/login`, json(alice))).status).toBe(200);
    expect((await fetch(`${url}/api/.well-known/jwks.json`)).status).toBe(200);
  });

  it('fails every request meant for the auth routes, naming the hidden paths, when the prefix hides some', async () => {
    const messages: string[] = [];
    const url = await start((app) => {
      app.use('/api', authRouter(auth));
      app.get('/api/users', (_req, res) => {
        res.json({ users: [] });
      });
      app.use(((error, _req, res, _next) => {
        messages.push((error as Error).message);
        res.status(500).json({ error: 'internal_error' });
      }) as express.ErrorRequestHandler);
    });
    expect((await fetch(`${url}/api/auth/login`, json(alice))).status).toBe(500);
    expect(messages[0]).toContain('/.well-known/jwks.json');
    expect(messages[0]).toContain('app.use(authRouter(auth))');
    // The app's own routes under the prefix are not taken down with it.
    const users = await fetch(`${url}/api/users`);
    expect(users.status).toBe(200);
    expect(await users.json()).toEqual({ users: [] });
    expect(messages).toHaveLength(1);
    expect((await fetch(`${url}/api/.well-known/jwks.json`)).status).toBe(500);
    expect(messages).toHaveLength(2);
    // Requests outside the prefix never reach the router.
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });
});

describe('a body read before the router', () => {
  it('fails with an error saying so when a middleware consumed it without req.body', async () => {
    const messages: string[] = [];
    const url = await start((app) => {
      // A raw-body logger that reads the stream and keeps nothing.
      app.use((req, _res, next) => {
        req.on('data', () => {});
        req.on('end', () => next());
      });
      app.use(authRouter(auth));
      app.use(((error, _req, res, _next) => {
        messages.push((error as Error).message);
        res.status(500).json({ error: 'internal_error' });
      }) as express.ErrorRequestHandler);
    });
    const login = await fetch(`${url}/auth/login`, json(alice));
    expect(login.status).toBe(500);
    expect(messages[0]).toContain('read by a middleware before authRouter()');
    // A request without a body still reaches the core.
    expect((await fetch(`${url}/.well-known/jwks.json`)).status).toBe(200);
    const empty = await fetch(`${url}/auth/logout`, { method: 'POST' });
    expect(empty.status).toBe(415);
    expect(messages).toHaveLength(1);
  });
});
