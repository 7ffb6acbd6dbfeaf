import { describe, expect, it } from 'vitest';
import { harness } from '../helpers.js';
import {
  browserHarness,
  browserLogin,
  HTML_ACCEPT,
  hiddenField,
  Jar,
  ORIGIN,
  PASSWORD,
  parseSetCookie,
  submit,
  visit,
} from './helpers.js';

const client = { clientAddress: '198.51.100.7' };

async function loginPage(h = browserHarness(), path = '/auth/login') {
  const jar = new Jar();
  const response = await h.auth.handler(visit(path, jar));
  jar.apply(response);
  const html = await response.text();
  return { h, jar, response, html, csrf: hiddenField(html, 'csrf_token')! };
}

describe('browser mode: login page', () => {
  it('GET /auth/login is an accessible HTML form with a CSRF token, under a strict CSP', async () => {
    const { response, html, csrf, jar } = await loginPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1>Sign in</h1>');
    expect(html).toContain('<form method="post" action="/auth/login">');
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('autocomplete="username"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toContain('href="/auth/register"');
    expect(html).not.toMatch(/<script|style="|\son[a-z]+=/i);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jar.get('__Host-auth_csrf')).toBe(csrf);
  });

  it('keeps an existing CSRF cookie, and carries a safe return path in the form', async () => {
    const h = browserHarness();
    const first = await loginPage(h);
    const again = await h.auth.handler(visit('/auth/login?next=/orders%3Fpage%3D2', first.jar));
    expect(again.headers.getSetCookie()).toEqual([]);
    const html = await again.text();
    expect(hiddenField(html, 'csrf_token')).toBe(first.csrf);
    expect(hiddenField(html, 'next')).toBe('/orders?page=2');
    expect(html).toContain('href="/auth/register?next=%2Forders%3Fpage%3D2"');
  });

  it('serves the stylesheet the pages link to', async () => {
    const h = browserHarness();
    const response = await h.auth.handler(visit('/auth/style.css'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(h.auth.handles('/auth/style.css')).toBe(true);
  });

  it('an API client still gets the JSON contract on the same paths', async () => {
    const h = browserHarness();
    const get = await h.auth.handler(new Request(`${ORIGIN}/auth/login`));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: 'method_not_allowed' });
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const form = await h.auth.handler(
      new Request(`${ORIGIN}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
        body: new URLSearchParams({ username: 'alice', password: PASSWORD }).toString(),
      }),
      client,
    );
    expect(form.status).toBe(200);
    expect(form.headers.getSetCookie()).toEqual([]);
    expect(await form.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('answers chosen by Accept or cookies say so in Vary; the same-for-all ones do not', async () => {
    const h = browserHarness({ docs: true });
    const api = (path: string) => new Request(ORIGIN + path, { headers: { accept: '*/*' } });
    // Page or JSON, signed in or not: the login route, the home page, an unknown path, the
    // JSON routes (a 405 for GET), for a browser and for an API client alike.
    for (const request of [
      visit('/auth/login'),
      api('/auth/login'),
      visit('/'),
      api('/'),
      visit('/nope'),
      api('/nope'),
      api('/auth/me'),
      new Request(`${ORIGIN}/auth/refresh`, { method: 'POST', body: '{}' }),
      new Request(`${ORIGIN}/`, { method: 'HEAD', headers: { accept: HTML_ACCEPT } }),
    ]) {
      const response = await h.auth.handler(request);
      expect(response.headers.get('vary'), `${request.method} ${request.url}`).toBe(
        'Accept, Cookie',
      );
    }
    // The stylesheet, the JWKS, the OpenAPI document: the same bytes for everyone.
    for (const path of ['/auth/style.css', '/.well-known/jwks.json', '/openapi.json']) {
      const response = await h.auth.handler(visit(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('vary'), path).toBeNull();
    }
    // Without browser mode nothing is negotiated.
    const plain = await harness().auth.handler(api('/auth/login'));
    expect(plain.status).toBe(405);
    expect(plain.headers.get('vary')).toBeNull();
  });

  it('a browser using a method a route does not serve gets a 405 page with Allow', async () => {
    const h = browserHarness();
    for (const [path, allow] of [
      ['/', 'GET, HEAD'],
      ['/auth/refresh', 'POST'],
    ] as const) {
      const response = await h.auth.handler(
        new Request(ORIGIN + path, { method: 'PUT', headers: { accept: HTML_ACCEPT } }),
      );
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow'), path).toBe(allow);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<!doctype html>');
    }
  });
});

describe('browser mode: form login', () => {
  it('303 to the return path with HttpOnly, SameSite=Lax, __Host- cookies and Max-Age', async () => {
    const h = browserHarness({ accessTokenTtl: 600, refreshTokenTtl: 86_400 });
    const { response, jar } = await browserLogin(h, { next: '/orders' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/orders');
    const cookies = Object.fromEntries(
      response.headers.getSetCookie().map((line) => {
        const c = parseSetCookie(line);
        return [c.name, c];
      }),
    );
    expect(Object.keys(cookies).sort()).toEqual([
      '__Host-auth_access',
      '__Host-auth_csrf',
      '__Host-auth_refresh',
    ]);
    for (const c of Object.values(cookies)) {
      expect(c.attributes.path).toBe('/');
      expect(c.attributes.secure).toBe(true);
      expect(c.attributes.samesite).toBe('Lax');
      expect(c.attributes.domain).toBeUndefined();
      expect(c.attributes.expires).toBeUndefined();
    }
    expect(cookies['__Host-auth_access']!.attributes).toMatchObject({
      httponly: true,
      'max-age': '600',
    });
    expect(cookies['__Host-auth_refresh']!.attributes).toMatchObject({
      httponly: true,
      'max-age': '86400',
    });
    expect(cookies['__Host-auth_csrf']!.attributes.httponly).toBeUndefined();
    // A new CSRF token for the new session.
    expect(jar.get('__Host-auth_csrf')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h.events.some((e) => e.type === 'login_success')).toBe(true);
  });

  it('a new login from a browser that held a session ends the old one', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const oldRefresh = jar.get('__Host-auth_refresh')!;
    const again = await h.auth.handler(
      submit(
        '/auth/login',
        { username: 'alice', password: PASSWORD, csrf_token: jar.get('__Host-auth_csrf')! },
        jar,
      ),
      client,
    );
    expect(again.status).toBe(303);
    await expect(h.auth.refresh(oldRefresh)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('goes home without a return path', async () => {
    const { response } = await browserLogin(browserHarness());
    expect(response.headers.get('location')).toBe('/');
  });

  it('insecure cookies (plain http on localhost): no Secure, no prefix', async () => {
    const h = harness({ browser: { secureCookies: false } });
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const page = await h.auth.handler(
      new Request('http://localhost:3000/auth/login', { headers: { accept: HTML_ACCEPT } }),
    );
    const jar = new Jar().apply(page);
    const csrf = hiddenField(await page.text(), 'csrf_token')!;
    expect(jar.get('auth_csrf')).toBe(csrf);
    const response = await h.auth.handler(
      new Request('http://localhost:3000/auth/login', {
        method: 'POST',
        headers: {
          accept: HTML_ACCEPT,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost:3000',
          cookie: jar.header(),
        },
        body: new URLSearchParams({
          username: 'alice',
          password: PASSWORD,
          csrf_token: csrf,
        }).toString(),
      }),
      client,
    );
    expect(response.status).toBe(303);
    const lines = response.headers.getSetCookie();
    expect(lines.map((l) => parseSetCookie(l).name).sort()).toEqual([
      'auth_access',
      'auth_csrf',
      'auth_refresh',
    ]);
    for (const line of lines) expect(line).not.toMatch(/Secure/);
  });

  it.each([
    '//evil.com',
    '/\\evil.com',
    'https://evil.com',
    '/%2F%2Fevil.com',
    '/\t/evil.com',
    'javascript:alert(1)',
  ])('a return path of %j goes to / instead', async (next) => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h);
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      submit('/auth/login', { username: 'alice', password: PASSWORD, csrf_token: csrf, next }, jar),
      client,
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it('a return path in the query string of the post is honoured too', async () => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h);
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      submit(
        '/auth/login?next=/settings',
        { username: 'alice', password: PASSWORD, csrf_token: csrf },
        jar,
      ),
      client,
    );
    expect(response.headers.get('location')).toBe('/settings');
  });

  it('wrong password: the form again, 401, a generic message, the username kept, no cookies', async () => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h);
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const wrong = await h.auth.handler(
      submit(
        '/auth/login',
        { username: 'alice', password: 'not the password', csrf_token: csrf },
        jar,
      ),
      client,
    );
    const unknown = await h.auth.handler(
      submit(
        '/auth/login',
        { username: 'nobody', password: 'not the password', csrf_token: csrf },
        jar,
      ),
      client,
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('Invalid username or password.');
    expect(html).toContain('value="alice"');
    expect(html).not.toContain('not the password');
    expect(hiddenField(html, 'csrf_token')).toBe(csrf);
    // Unknown user and wrong password read the same, bar the echoed username.
    expect((await unknown.text()).replace('nobody', 'alice')).toBe(html);
  });

  it('missing fields: 400 with the form', async () => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h);
    const response = await h.auth.handler(submit('/auth/login', { csrf_token: csrf }, jar), client);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Enter your username and password.');
  });

  it('rate-limited: 429 page with Retry-After and when to try again', async () => {
    const h = browserHarness({ rateLimit: { maxAttempts: 2, window: 60 } });
    const { jar, csrf } = await loginPage(h);
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const attempt = (password: string) =>
      h.auth.handler(
        submit('/auth/login', { username: 'alice', password, csrf_token: csrf }, jar),
        client,
      );
    await attempt('wrong-1');
    await attempt('wrong-2');
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const html = await limited.text();
    expect(html).toContain(`Try again in ${retryAfter} seconds.`);
    expect(html).toContain('role="alert"');
  });

  it('HTML-escapes what the user typed', async () => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h);
    const response = await h.auth.handler(
      submit(
        '/auth/login',
        { username: '"><script>alert(1)</script>', password: 'x', csrf_token: csrf },
        jar,
      ),
      client,
    );
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('a browser already logged in is sent home from the login and register pages', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    for (const path of ['/auth/login', '/auth/register', '/auth/login?next=/protected']) {
      const response = await h.auth.handler(visit(path, jar));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('a return path to the login or register page itself goes home (no redirect loop)', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    for (const next of ['/auth/login', '/auth/register?next=/x', '/auth/login#top']) {
      const response = await h.auth.handler(
        visit(`/auth/login?next=${encodeURIComponent(next)}`, jar),
      );
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('stale session cookies on the login page are cleared and the form shown', async () => {
    const h = browserHarness();
    const jar = new Jar();
    jar.cookies.set('__Host-auth_access', 'e30.e30.AAAA');
    const response = await h.auth.handler(visit('/auth/login', jar));
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((l) => l.startsWith('__Host-auth_access=;'))).toBe(
      true,
    );
  });
});

describe('browser mode: registration', () => {
  it('GET /auth/register is a form; POST registers, logs in and goes on (303)', async () => {
    const h = browserHarness();
    const { jar, csrf, html, response: page } = await loginPage(h, '/auth/register?next=/welcome');
    expect(page.status).toBe(200);
    expect(html).toContain('<h1>Create an account</h1>');
    expect(html).toContain('autocomplete="new-password"');
    const response = await h.auth.handler(
      submit(
        '/auth/register',
        { username: 'bob', password: PASSWORD, csrf_token: csrf, next: '/welcome' },
        jar,
      ),
      client,
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/welcome');
    jar.apply(response);
    expect(jar.get('__Host-auth_access')).toBeDefined();
    const user = await h.auth.users.findByUsername('bob');
    expect(user?.roles).toEqual(['user']);
  });

  it('bad input: 400 with the problems listed; taken name: 409', async () => {
    const h = browserHarness();
    const { jar, csrf } = await loginPage(h, '/auth/register');
    const bad = await h.auth.handler(
      submit('/auth/register', { username: 'al', password: 'short', csrf_token: csrf }, jar),
      client,
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('username must be at least 3 characters');
    expect(html).toContain('password must be at least 8 characters');
    // Each field at fault is marked and tied to the message, and still to its own hint.
    const input = (page: string, id: string) =>
      page.match(new RegExp(`<input id="${id}"[^>]*>`))![0];
    for (const [id, hint] of [
      ['username', 'username-hint'],
      ['password', 'password-hint'],
    ] as const) {
      expect(input(html, id)).toContain('aria-invalid="true"');
      expect(input(html, id)).toContain(`aria-describedby="form-error ${hint}"`);
    }
    await h.auth.register({ username: 'carol', password: PASSWORD });
    const taken = await h.auth.handler(
      submit('/auth/register', { username: 'CAROL', password: PASSWORD, csrf_token: csrf }, jar),
      client,
    );
    expect(taken.status).toBe(409);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain('That username is already taken.');
    // The name is at fault, not the password.
    expect(input(takenHtml, 'username')).toContain('aria-invalid="true"');
    expect(input(takenHtml, 'username')).toContain('aria-describedby="form-error username-hint"');
    expect(input(takenHtml, 'password')).not.toContain('aria-invalid');
    expect(input(takenHtml, 'password')).toContain('aria-describedby="password-hint"');
  });

  it('an API client registering still gets 201 JSON', async () => {
    const h = browserHarness();
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'dave', password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ user: { username: 'dave' } });
  });
});

describe('browser mode: home page', () => {
  it('greets the logged-in user, with a logout button carrying the CSRF token', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(visit('/', jar));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Hello, alice</h1>');
    expect(html).toContain('<form method="post" action="/auth/logout">');
    expect(hiddenField(html, 'csrf_token')).toBe(jar.get('__Host-auth_csrf'));
    expect(html).not.toMatch(/<script/i);
  });

  it('without a session: 303 to /auth/login?next=/', async () => {
    const h = browserHarness();
    const response = await h.auth.handler(visit('/'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/login?next=/');
  });

  it('an API client gets JSON: the user with a bearer token, 401 without', async () => {
    const h = browserHarness();
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const tokens = await h.auth.login({ username: 'alice', password: PASSWORD }, client);
    const ok = await h.auth.handler(
      new Request(`${ORIGIN}/`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { username: 'alice' } });
    const anonymous = await h.auth.handler(new Request(`${ORIGIN}/`));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="auth"');
    // A bearer header makes it an API request whatever its Accept: JSON, never the login page.
    const html = await h.auth.handler(
      visit('/', undefined, { authorization: `Bearer ${tokens.access_token}` }),
    );
    expect(html.status).toBe(200);
    expect(await html.json()).toMatchObject({ user: { username: 'alice' } });
    const refused = await h.auth.handler(visit('/', undefined, { authorization: 'Bearer x.y.z' }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await refused.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('is not served unless asked for', () => {
    expect(harness({ browser: true }).auth.handles('/')).toBe(false);
    expect(browserHarness().auth.handles('/')).toBe(true);
    expect(harness().auth.handles('/')).toBe(false);
  });
});
