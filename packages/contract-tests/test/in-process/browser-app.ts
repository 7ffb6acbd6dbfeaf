/**
 * The example app in browser mode with docs, asked in-process: pages, cookie sessions, the
 * OpenAPI document. One suite; each example runs it with its own way of serving requests.
 */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Auth, argon2id, createAuth, memoryStorage, type OpenApiDocument } from '@auth/core';
import { afterEach, describe, expect, it } from 'vitest';

/** How a test reaches the app: its origin and two request helpers that follow no redirect. */
export interface InProcessApp {
  readonly base: string;
  get(path: string, headers?: Record<string, string>): Response | Promise<Response>;
  post(path: string, body: string, headers: Record<string, string>): Response | Promise<Response>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Serves a `node:http` request listener (an Express app, say) on an ephemeral port. */
export async function serveListener(listener: RequestListener): Promise<InProcessApp> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' }),
    post: (path, body, headers) =>
      fetch(`${base}${path}`, { method: 'POST', headers, body, redirect: 'manual' }),
  };
}

/** The example's `documentRoutes` (its `docs.extend`). */
export type DocumentRoutes = (doc: OpenApiDocument) => OpenApiDocument;

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The example's auth instance with browser mode and docs on, as `src/server.ts` makes it. */
function browserAuth(documentRoutes: DocumentRoutes): Auth {
  return createAuth({
    issuer: 'urn:test',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'] }, user: {} },
    browser: { secureCookies: false, homePage: true },
    docs: { extend: documentRoutes },
  });
}

/** A browser's cookie jar: `Set-Cookie` in, `Cookie` out. */
class Jar {
  private readonly cookies = new Map<string, string>();
  update(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Registers the suite.
 * @param start - serves the app built around an auth instance
 * @param documentRoutes - the example's description of its own routes
 */
export function browserAppSuite(
  start: (auth: Auth) => Promise<InProcessApp>,
  documentRoutes: DocumentRoutes,
): void {
  describe('browser mode and docs (as src/server.ts configures them)', () => {
    it('sends a browser without a session to the login page; API clients get 401', async () => {
      const { get } = await start(browserAuth(documentRoutes));
      for (const [path, next] of [
        ['/', '/'],
        ['/protected', '/protected'],
        ['/admin?x=1', '/admin%3Fx%3D1'],
      ]) {
        const res = await get(path!, { accept: HTML });
        expect(res.status, path).toBe(303);
        expect(res.headers.get('location')).toBe(`/auth/login?next=${next}`);
      }
      const api = await get('/protected', { accept: 'application/json' });
      expect(api.status).toBe(401);
      expect(await api.json()).toMatchObject({ error: 'unauthorized' });
    });

    it('logs in through the login form; the session cookie then opens /protected and the home page', async () => {
      const auth = browserAuth(documentRoutes);
      const { base, get, post } = await start(auth);
      await auth.register({ username: 'carol', password: 'correct horse battery staple' });
      const jar = new Jar();
      const page = await get('/auth/login', { accept: HTML });
      expect(page.status).toBe(200);
      jar.update(page);
      const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1];
      expect(csrf).toBeDefined();
      const login = await post(
        '/auth/login',
        new URLSearchParams({
          csrf_token: csrf!,
          username: 'carol',
          password: 'correct horse battery staple',
        }).toString(),
        {
          accept: HTML,
          cookie: jar.header(),
          origin: base,
          'content-type': 'application/x-www-form-urlencoded',
        },
      );
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/');
      jar.update(login);

      const api = await get('/protected', { cookie: jar.header() });
      expect(api.status).toBe(200);
      expect(await api.json()).toEqual({ message: 'protected resource' });
      const admin = await get('/admin', { cookie: jar.header(), accept: HTML });
      expect(admin.status).toBe(403);
      expect(admin.headers.get('content-type')).toMatch(/^text\/html/);
      const home = await get('/', { cookie: jar.header(), accept: HTML });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('carol');
    });

    it('serves /openapi.json with the app routes, the docs page, and 404 pages for browsers', async () => {
      const { get } = await start(browserAuth(documentRoutes));
      const doc = (await (await get('/openapi.json')).json()) as {
        paths: Record<string, { get?: { security?: unknown[] } }>;
      };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/ping', '/protected', '/admin', '/auth/me', '/']),
      );
      expect(doc.paths['/protected']?.get?.security).toContainEqual({ bearerAuth: [] });
      expect(doc.paths['/ping']?.get?.security).toBeUndefined();
      const docs = await get('/docs', { accept: HTML });
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);

      const page = await get('/nope', { accept: HTML });
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const api = await get('/nope');
      expect(api.status).toBe(404);
      expect(await api.json()).toEqual({ error: 'not_found', error_description: 'no such route' });
    });
  });
}
