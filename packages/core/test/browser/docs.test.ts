import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { appRoute } from '../../src/http/docs/app-route.js';
import type { OpenApiDocument } from '../../src/http/docs/types.js';
import { swaggerUiAssets } from '../../src/node/docs-assets.js';
import { errorBodySchema, publicUserSchema, tokenResponseSchema } from '../../src/schemas.js';
import { harness } from '../helpers.js';
import { ORIGIN, PASSWORD } from './helpers.js';

const assets = swaggerUiAssets();

function docsHarness(extra: Parameters<typeof harness>[0] = {}) {
  return harness({ docs: { assets, title: 'Example API' }, ...extra });
}

const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(ORIGIN + path, { headers });

async function validate(document: OpenApiDocument) {
  const validator = new Validator();
  return validator.validate(
    structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
  );
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document of every auth route', async () => {
    const h = docsHarness();
    const response = await h.auth.handler(get('/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = (await response.json()) as OpenApiDocument;
    const result = await validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Example API');
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /auth/register',
        'POST /auth/login',
        'POST /auth/token',
        'POST /auth/refresh',
        'POST /auth/logout',
        'GET /auth/me',
        'GET /.well-known/jwks.json',
      ].sort(),
    );
  });

  it('(the validator is not vacuous: a broken document fails)', async () => {
    const broken = structuredClone(docsHarness().auth.openapi());
    (broken.paths['/auth/me']!.get as Record<string, unknown>).responses = 'none';
    expect((await validate(broken)).valid).toBe(false);
  });

  it('has the bearer and OAuth2 password-flow security schemes, tokenUrl = the token endpoint', async () => {
    const document = docsHarness().auth.openapi();
    expect(document.components?.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      oauth2Password: { type: 'oauth2', flows: { password: { tokenUrl: '/auth/token' } } },
    });
    const me = document.paths['/auth/me']!.get as { security: object[] };
    expect(me.security).toEqual([{ bearerAuth: [] }, { oauth2Password: [] }]);
  });

  it('request bodies come from the validating zod schemas (JSON and form)', async () => {
    const document = docsHarness({ password: { minLength: 12, maxLength: 200 } }).auth.openapi();
    type Schema = {
      required?: string[];
      properties: Record<
        string,
        { description?: string; enum?: string[]; minLength?: number; maxLength?: number }
      >;
    };
    const schemas = document.components!.schemas as Record<string, Schema>;
    expect(schemas.RegisterRequest!.required).toEqual(['username', 'password']);
    expect(schemas.RegisterRequest!.properties.password!.description).toBe('12–200 characters.');
    // The limits of the contract, for clients that validate by the schema.
    expect(schemas.RegisterRequest!.properties.password).toMatchObject({
      minLength: 12,
      maxLength: 200,
    });
    expect(schemas.RegisterRequest!.properties.username).toMatchObject({
      minLength: 3,
      maxLength: 64,
    });
    // A login and the token endpoint's password grant refuse what registration would: the
    // document states the limits the server applies, not its looser caps on raw input.
    for (const name of ['LoginRequest', 'TokenRequest']) {
      expect(schemas[name]!.properties.password, name).toMatchObject({ maxLength: 200 });
      expect(schemas[name]!.properties.username, name).toMatchObject({ maxLength: 64 });
    }
    expect(schemas.TokenRequest!.properties.password!.description).toBe('For `password`.');
    // Logout always answers 204 (or a refusal of the request itself), never 401.
    const logout = document.paths['/auth/logout']!.post as { responses: Record<string, unknown> };
    expect(Object.keys(logout.responses)).not.toContain('401');
    expect(schemas.TokenRequest!.properties).toHaveProperty('client_id');
    const login = document.paths['/auth/login']!.post as { requestBody: { content: object } };
    expect(Object.keys(login.requestBody.content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    const token = document.paths['/auth/token']!.post as { requestBody: { content: object } };
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(schemas.Error!.properties.error!.enum).toContain('invalid_grant');
  });

  it('response schemas match what the handler answers', async () => {
    const h = docsHarness();
    const register = await h.auth.handler(
      new Request(`${ORIGIN}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: PASSWORD }),
      }),
    );
    expect(publicUserSchema.safeParse((await register.json()).user).success).toBe(true);
    const login = await h.auth.handler(
      new Request(`${ORIGIN}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=alice&password=correct+horse+battery&scope=&client_id=swagger',
      }),
    );
    expect(login.status).toBe(200);
    expect(tokenResponseSchema.safeParse(await login.json()).success).toBe(true);
    const bad = await h.auth.handler(get('/auth/me'));
    expect(errorBodySchema.safeParse(await bad.json()).success).toBe(true);
  });

  it('documents the browser routes and the cookie session in browser mode, and stays valid', async () => {
    const h = docsHarness({ browser: { homePage: true } });
    const document = h.auth.openapi();
    expect((await validate(document)).valid).toBe(true);
    expect(document.paths['/auth/login']).toHaveProperty('get');
    expect(document.paths['/auth/register']).toHaveProperty('get');
    expect(document.paths['/']).toHaveProperty('get');
    expect(Object.keys(document.components!.securitySchemes!).sort()).toEqual([
      'bearerAuth',
      'oauth2Password',
    ]);
    expect(document.info.description).toContain('CSRF token');
  });

  it('apps merge their own routes in with extend', async () => {
    const h = harness({
      docs: {
        extend: (doc) => {
          doc.paths['/protected'] = {
            get: {
              summary: 'A protected resource',
              security: [{ bearerAuth: [] }, { oauth2Password: [] }],
              responses: {
                '200': { description: 'ok' },
                '401': { $ref: '#/components/responses/Unauthorized' },
              },
            },
          };
          return doc;
        },
      },
    });
    const document = (await (await h.auth.handler(get('/openapi.json'))).json()) as OpenApiDocument;
    expect(document.paths).toHaveProperty('/protected');
    expect((await validate(document)).valid).toBe(true);
    const described = harness({
      docs: {
        extend: (doc) => {
          doc.paths['/ping'] = appRoute({ summary: 'Liveness', example: { ping: 'pong' } });
          doc.paths['/admin'] = appRoute({
            summary: 'Admins only',
            example: { ok: true },
            secured: true,
            forbidden: 'not an admin',
          });
          return doc;
        },
      },
    }).auth.openapi();
    expect((await validate(described)).valid).toBe(true);
    expect(described.paths['/admin']?.get).toMatchObject({
      security: [{ bearerAuth: [] }, { oauth2Password: [] }],
      responses: { 401: { $ref: '#/components/responses/Unauthorized' }, 403: expect.any(Object) },
    });
    expect(described.paths['/ping']?.get).not.toHaveProperty('security');
    // The 200's schema is the example's shape; the 403 is the JSON error with its challenge.
    expect(described.paths['/ping']?.get).toMatchObject({
      responses: {
        200: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { ping: { type: 'string' } },
                required: ['ping'],
              },
            },
          },
        },
      },
    });
    expect(described.paths['/admin']?.get).toMatchObject({
      responses: {
        200: {
          content: { 'application/json': { schema: { properties: { ok: { type: 'boolean' } } } } },
        },
        403: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          headers: { 'WWW-Authenticate': expect.any(Object) },
        },
      },
    });
    // The document handed out is a copy: changing it changes nothing served.
    h.auth.openapi().paths['/x'] = {};
    expect(h.auth.openapi().paths).not.toHaveProperty('/x');
  });

  it('is off by default', async () => {
    const h = harness();
    expect(h.auth.handles('/openapi.json')).toBe(false);
    expect(h.auth.handles('/docs')).toBe(false);
    expect((await h.auth.handler(get('/openapi.json'))).status).toBe(404);
    // The document itself is still available to the app.
    expect(h.auth.openapi().openapi).toBe('3.1.0');
  });
});

describe('GET /docs', () => {
  it('is Swagger UI from same-origin files only, started by a same-origin script', async () => {
    const h = docsHarness();
    const response = await h.auth.handler(get('/docs', { accept: 'text/html' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await response.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      expect(url).toMatch(/^\/docs\/[A-Za-z0-9._-]+$/); // same origin, never a CDN
    }
    expect(urls).toContain('/docs/swagger-ui-bundle.js');
    expect(urls).toContain('/docs/init.js');
    // No inline script: every <script> has a src and an empty body.
    expect(html.match(/<script[^>]*>[^<]+<\/script>/)).toBeNull();
    expect([...html.matchAll(/<script(?![^>]*\ssrc=)/g)]).toEqual([]);
  });

  it('every file the page names is served with its content type and caching', async () => {
    const h = docsHarness();
    const html = await (await h.auth.handler(get('/docs'))).text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
      png: 'image/png',
    };
    for (const url of urls) {
      expect(h.auth.handles(url)).toBe(true);
      const response = await h.auth.handler(get(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe(types[url.split('.').pop()!]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toMatch(/^(public, max-age=\d+|no-cache)$/);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('the init script points Swagger UI at the document, keeps Authorize out of localStorage, no public validator', async () => {
    const h = docsHarness();
    const script = await (await h.auth.handler(get('/docs/init.js'))).text();
    expect(script).toContain('"url":"/openapi.json"');
    // Persisted, Swagger UI would keep the password in clear (and the refresh token) in
    // localStorage after the tab is closed.
    expect(script).toContain('"persistAuthorization":false');
    expect(script).toContain('"validatorUrl":null');
    expect(script).not.toMatch(/https?:\/\//);
  });

  it('assets answer If-None-Match with 304, and unknown files with 404', async () => {
    const h = docsHarness();
    const first = await h.auth.handler(get('/docs/swagger-ui.css'));
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"swagger-ui-dist@\d+\.\d+\.\d+\/swagger-ui.css"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=86400');
    const again = await h.auth.handler(get('/docs/swagger-ui.css', { 'if-none-match': etag }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    for (const path of [
      '/docs/package.json',
      '/docs/index.html',
      '/docs/..%2Fpackage.json',
      '/docs/.env',
    ]) {
      expect((await h.auth.handler(get(path))).status, path).toBe(404);
    }
  });

  it("an HTML asset (Swagger UI's OAuth2 redirect page) gets the page's CSP and framing headers", async () => {
    const h = docsHarness();
    const page = await h.auth.handler(get('/docs/oauth2-redirect.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Its script is a same-origin file, so the policy lets it run.
    expect(await page.text()).toContain('<script src="oauth2-redirect.js"></script>');
    // A provider's own policy is kept; other types get none.
    const own = harness({
      docs: {
        assets: (name) =>
          new Response('x', {
            headers: {
              'content-type': name.endsWith('.html') ? 'Text/HTML' : 'text/css',
              'content-security-policy': "default-src 'none'",
            },
          }),
      },
    });
    const html = await own.auth.handler(get('/docs/page.html'));
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(html.headers.get('x-frame-options')).toBe('DENY');
    const css = await h.auth.handler(get('/docs/swagger-ui.css'));
    expect(css.headers.get('content-security-policy')).toBeNull();
    expect(css.headers.get('x-frame-options')).toBeNull();
  });

  it('a custom asset provider plugs in (other runtimes)', async () => {
    const h = harness({
      docs: {
        assets: (name) =>
          name === 'swagger-ui.css'
            ? new Response('body{}', { headers: { 'content-type': 'text/css' } })
            : undefined,
      },
    });
    const css = await h.auth.handler(get('/docs/swagger-ui.css'));
    expect(await css.text()).toBe('body{}');
    expect(css.headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await h.auth.handler(get('/docs/swagger-ui-bundle.js'))).status).toBe(404);
  });

  it('without an asset provider the page says so and loads nothing', async () => {
    const h = harness({ docs: true });
    const html = await (await h.auth.handler(get('/docs'))).text();
    expect(html).toContain('Documentation assets are not configured');
    expect(html).not.toContain('<script');
  });
});
