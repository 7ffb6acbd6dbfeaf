/**
 * Browser mode and docs (docs/API.md § "Browser mode and docs"): HTML pages chosen by
 * content negotiation, session cookies, CSRF, return paths, OpenAPI and the docs page.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import {
  BROWSER_ACCEPT,
  Browser,
  clears,
  expectHtml,
  formTo,
  type Jar,
  location,
  passwordForm,
  setCookies,
} from '../browser.js';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectJson, type HttpResponse, request } from '../http.js';
import { login, newPassword, refresh, registerUser, type TestUser, uniqueName } from '../users.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const EVIL = 'http://evil.example';

/**
 * Session cookies: SameSite=Lax, a Path, Secure as configured; the access and the refresh
 * cookie (two cookies at least) are HttpOnly, and so is every cookie that holds a JWT.
 */
export function expectSessionCookies(res: HttpResponse, secure: boolean): void {
  const cookies = setCookies(res).filter((c) => !clears(c));
  expect(cookies.length, `Set-Cookie of ${res.label}`).toBeGreaterThan(0);
  for (const c of cookies) {
    expect(c.attributes.samesite?.toLowerCase(), c.raw).toBe('lax');
    expect(c.attributes.path, c.raw).toMatch(/^\//);
    expect('secure' in c.attributes, c.raw).toBe(secure);
    if (JWT.test(c.value)) expect('httponly' in c.attributes, c.raw).toBe(true);
  }
  const httpOnly = cookies.filter((c) => 'httponly' in c.attributes);
  expect(httpOnly.length, 'HttpOnly access and refresh cookies').toBeGreaterThanOrEqual(2);
  expect(res.text).not.toMatch(/access_token|refresh_token/);
}

async function browserLogin(url: string, user: TestUser, next?: string): Promise<Browser> {
  const browser = new Browser(url);
  const page = next === undefined ? '/auth/login' : `/auth/login?${new URLSearchParams({ next })}`;
  const res = await browser.fill(page, { username: user.username, password: user.password });
  expect(res.status, `${res.label} → ${res.status} ${res.text.slice(0, 300)}`).toBe(303);
  return browser;
}

function protectedWith(url: string, jar: Jar): Promise<HttpResponse> {
  const cookie = jar.header();
  return request(url, '/protected', {
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
  });
}

/** Browser-mode cases on the default instance (cookies not Secure outside production). */
export function browserCases(example: ExampleRef): void {
  it('GET /auth/login and /auth/register from a browser → 200 HTML forms with username and password', async () => {
    for (const path of ['/auth/login', '/auth/register']) {
      const res = await new Browser(example.url).get(path);
      expectHtml(res, 200);
      const form = passwordForm(res.text);
      expect(form.method).toBe('POST');
      expect(Object.keys(form.fields)).toEqual(expect.arrayContaining(['username', 'password']));
    }
  });

  it('GET / without a session → 303 to /auth/login?next=/', async () => {
    const res = await new Browser(example.url).get('/');
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const to = location(res, example.url);
    expect(to.pathname).toBe('/auth/login');
    expect(to.searchParams.get('next')).toBe('/');
  });

  it('a 303 (a redirect to the login page or home, the logout button) has no body and no Content-Type', async () => {
    const user = await registerUser(example.url, 'see');
    const browser = new Browser(example.url);
    const answers = [
      await browser.get('/'),
      await browser.get('/protected'),
      await browser.fill('/auth/login', { username: user.username, password: user.password }),
    ];
    const home = await browser.get('/');
    const logout = formTo(home.text, '/auth/logout');
    expect(logout, 'a logout form').toBeDefined();
    answers.push(await browser.submit(logout!.action, logout!.fields));
    answers.push(
      await request(example.url, '/auth/logout', {
        method: 'POST',
        headers: { accept: BROWSER_ACCEPT },
      }),
    );
    for (const res of answers) {
      expect(res.status, `${res.label} → ${res.status} ${res.text.slice(0, 200)}`).toBe(303);
      expect(res.text, res.label).toBe('');
      expect(res.headers.get('content-type'), `Content-Type of ${res.label}`).toBeNull();
    }
  });

  it('the login form → 303 to / with session cookies; the home page greets the user; cookies work like a bearer', async () => {
    const user = await registerUser(example.url, 'browser');
    const browser = new Browser(example.url);
    const res = await browser.fill('/auth/login', {
      username: user.username,
      password: user.password,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(location(res, example.url).pathname).toBe('/');
    expectSessionCookies(res, false);

    const home = await browser.get('/');
    expectHtml(home, 200);
    expect(home.text).toContain(user.username);
    expect(formTo(home.text, '/auth/logout'), 'a logout button').toBeDefined();

    const cookie = browser.jar.header()!;
    for (const path of ['/protected', '/auth/me']) {
      const api = await request(example.url, path, {
        headers: { cookie, accept: 'application/json' },
      });
      expectJson(api, 200);
    }
    expectError(
      await request(example.url, '/admin', { headers: { cookie, accept: 'application/json' } }),
      403,
      'insufficient_scope',
    );
    const again = await browser.get('/auth/login');
    expect([302, 303, 307], `GET /auth/login when logged in → ${again.status}`).toContain(
      again.status,
    );
    expect(location(again, example.url).pathname).toBe('/');
  });

  it('wrong credentials in the form → 401 with the form again, no cookies', async () => {
    const browser = new Browser(example.url);
    const res = await browser.fill('/auth/login', {
      username: uniqueName('nobody'),
      password: 'not-the-password',
    });
    expectHtml(res, 401);
    passwordForm(res.text);
    expect(browser.jar.header() ?? '').not.toMatch(/[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('a browser already logged in is sent home from the login and register pages, whatever next says', async () => {
    const browser = await browserLogin(example.url, await registerUser(example.url, 'again'));
    for (const path of ['/auth/login', '/auth/register', '/auth/login?next=/protected']) {
      const res = await browser.get(path);
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(303);
      const to = location(res, example.url);
      expect(`${to.pathname}${to.search}`, path).toBe('/');
    }
  });

  it('the registration form → 303 home, logged in', async () => {
    const username = uniqueName('signup');
    const browser = new Browser(example.url);
    const res = await browser.fill('/auth/register', { username, password: newPassword() });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(location(res, example.url).pathname).toBe('/');
    expectSessionCookies(res, false);
    const home = await browser.get('/');
    expectHtml(home, 200);
    expect(home.text).toContain(username);
  });

  it('return paths: a same-site path is honoured; //, /\\, absolute URLs go to /', async () => {
    const user = await registerUser(example.url, 'next');
    const cases: Array<[string, string]> = [
      ['/protected', '/protected'],
      ['//evil.example/x', '/'],
      ['/\\evil.example', '/'],
      [`${EVIL}/`, '/'],
      ['javascript:alert(1)', '/'],
      // Dot segments that normalise to //evil.example.
      ['/..//evil.example/x', '/'],
      ['/a/..//evil.example', '/'],
      ['/%2e%2e//evil.example', '/'],
      ['/.//evil.example', '/'],
    ];
    for (const [next, expected] of cases) {
      const browser = new Browser(example.url);
      const page = `/auth/login?${new URLSearchParams({ next })}`;
      const res = await browser.fill(page, { username: user.username, password: user.password });
      expect(res.status, `next=${next}: ${res.text.slice(0, 200)}`).toBe(303);
      const to = location(res, example.url);
      expect(`${to.pathname}${to.search}`, `next=${next}`).toBe(expected);
    }
  });

  it('a cookie-authenticated state change from another site or without the CSRF token → 403; bearer requests are not affected', async () => {
    const user = await registerUser(example.url, 'csrf');
    const browser = await browserLogin(example.url, user);
    const home = await browser.get('/');
    expectHtml(home, 200);
    const logout = formTo(home.text, '/auth/logout');
    expect(logout, 'a logout form').toBeDefined();
    const action = logout!.action;
    const hidden = logout!.fields;

    const crossOrigin = await browser.submit(
      action,
      hidden,
      { origin: EVIL, 'sec-fetch-site': 'cross-site' },
      browser.jar.clone(),
    );
    expect(crossOrigin.status, 'Origin of another site').toBe(403);
    const crossFetch = await browser.submit(
      action,
      hidden,
      { 'sec-fetch-site': 'cross-site' },
      browser.jar.clone(),
    );
    expect(crossFetch.status, 'Sec-Fetch-Site: cross-site').toBe(403);
    if (Object.keys(hidden).length > 0) {
      const noToken = await browser.submit(action, {}, {}, browser.jar.clone());
      expect(noToken.status, 'without the form fields (CSRF token)').toBe(403);
    }
    const api = await request(example.url, '/auth/logout', {
      json: { all: true },
      headers: { cookie: browser.jar.header()!, origin: EVIL, accept: 'application/json' },
    });
    expect(api.status, `JSON logout-all by cookie from another site → ${api.text}`).toBe(403);
    // None of them logged the browser out.
    expectJson(await protectedWith(example.url, browser.jar), 200);

    const tokens = await login(example.url, user);
    const bearer = await request(example.url, '/auth/logout', {
      json: { refresh_token: tokens.refresh_token },
      token: tokens.access_token,
      headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' },
    });
    expect(bearer.status, bearer.text).toBe(204);
    // Also with a browser's Accept and its cookies: the bearer names what to end, no CSRF.
    const other = await login(example.url, user);
    const fromBrowser = await request(example.url, '/auth/logout', {
      json: { all: true },
      token: other.access_token,
      headers: {
        accept: BROWSER_ACCEPT,
        cookie: browser.jar.header()!,
        origin: EVIL,
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(fromBrowser.status, fromBrowser.text).toBe(204);
    expectError(await refresh(example.url, other.refresh_token), 401, 'invalid_grant');
  });

  it('the logout button → 303 to /auth/login and the session cookies are cleared', async () => {
    const user = await registerUser(example.url, 'bye');
    const browser = await browserLogin(example.url, user);
    const before = [...browser.jar.cookies.keys()];
    const home = await browser.get('/');
    const logout = formTo(home.text, '/auth/logout');
    expect(logout, 'a logout form').toBeDefined();
    const res = await browser.submit(logout!.action, logout!.fields);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(location(res, example.url).pathname).toBe('/auth/login');
    const cleared = setCookies(res)
      .filter(clears)
      .map((c) => c.name);
    for (const name of before) expect(cleared, `cookie ${name} cleared`).toContain(name);
    const after = await browser.get('/');
    expect(after.status).toBe(303);
    expect(location(after, example.url).pathname).toBe('/auth/login');
  });

  it('answers chosen by Accept say so: Vary names Accept on the JSON and the HTML answer alike', async () => {
    const { url } = example;
    const answers = [
      await request(url, '/auth/me'),
      await request(url, '/auth/me', { headers: { accept: BROWSER_ACCEPT } }),
      await request(url, '/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      await request(url, '/'),
    ];
    for (const res of answers) {
      const vary = (res.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);
      expect(vary, `Vary of ${res.label} (${res.status})`).toContain('accept');
    }
  });

  it('a request with a bearer header is an API request whatever its Accept: no page, no redirect, no CSRF check', async () => {
    const user = await registerUser(example.url, 'bearhtml');
    const tokens = await login(example.url, user);
    const headers = {
      accept: BROWSER_ACCEPT,
      authorization: `Bearer ${tokens.access_token}`,
      origin: EVIL,
      'sec-fetch-site': 'cross-site',
    };
    const res = await request(example.url, '/auth/login', {
      json: { username: user.username, password: user.password },
      headers,
    });
    expectJson(res, 200);
    expect((res.body as { access_token?: unknown }).access_token).toMatch(JWT);
    const other = { username: uniqueName('bearreg'), password: newPassword() };
    expectJson(await request(example.url, '/auth/register', { json: other, headers }), 201);
    // A refused bearer gets RFC 6750's answer, not the login page: no redirect, no HTML.
    const bad = { accept: BROWSER_ACCEPT, authorization: 'Bearer not.a.token' };
    const invalid = await request(example.url, '/protected', { headers: bad });
    expectError(invalid, 401, 'invalid_token');
    expect(invalid.headers.get('www-authenticate') ?? '').toMatch(
      /^Bearer .*error="invalid_token"/,
    );
    const admin = await request(example.url, '/admin', {
      headers: { accept: BROWSER_ACCEPT, authorization: `Bearer ${tokens.access_token}` },
    });
    expectError(admin, 403);
    expect(admin.headers.get('www-authenticate') ?? '').toMatch(/error="insufficient_scope"/);
    const wrongMethod = await request(example.url, '/auth/refresh', { headers: bad });
    expectError(wrongMethod, 405);
    expectError(await request(example.url, '/', { headers: bad }), 401, 'invalid_token');
  });

  it('GET /openapi.json → OpenAPI 3.1 of the routes with bearer and OAuth2 password-flow schemes', async () => {
    const res = await request(example.url, '/openapi.json');
    expectJson(res, 200);
    const doc = res.body as {
      openapi?: string;
      paths?: Record<string, unknown>;
      components?: { securitySchemes?: Record<string, Record<string, unknown>> };
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const path of [
      '/ping',
      '/protected',
      '/admin',
      '/auth/register',
      '/auth/login',
      '/auth/token',
      '/auth/refresh',
      '/auth/logout',
      '/auth/me',
      '/.well-known/jwks.json',
    ]) {
      expect(Object.keys(doc.paths ?? {}), 'paths').toContain(path);
    }
    const schemes = Object.values(doc.components?.securitySchemes ?? {});
    expect(
      schemes.some((s) => s.type === 'http' && String(s.scheme).toLowerCase() === 'bearer'),
      'an http bearer scheme',
    ).toBe(true);
    const oauth = schemes.find((s) => s.type === 'oauth2') as
      | { flows?: { password?: { tokenUrl?: string } } }
      | undefined;
    expect(oauth?.flows?.password?.tokenUrl, 'the OAuth2 password flow').toMatch(/\/auth\/token$/);
  });

  it('GET /docs → 200 HTML whose assets are served locally (no CDN)', async () => {
    const res = await new Browser(example.url).get('/docs');
    expectHtml(res, 200);
    const refs = [
      ...res.text.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi),
    ].map((m) => m[1]!);
    let bodies = res.text;
    for (const ref of refs) {
      const url = new URL(ref, `${example.url}/docs`);
      expect(url.origin, `asset ${ref} is served by the app`).toBe(new URL(example.url).origin);
      const asset = await request(example.url, `${url.pathname}${url.search}`);
      expect(asset.status, `asset ${ref}`).toBe(200);
      bodies += asset.text;
    }
    expect(bodies, 'the docs use the OpenAPI document or the token endpoint').toMatch(
      /openapi\.json|\/auth\/token/,
    );
  });
}

/** Browser-mode cases that need AUTH_ACCESS_TTL=1, grace 0 and a rate limit of 3. */
export function strictBrowserCases(example: ExampleRef): void {
  it('an expired access cookie with a live refresh cookie is refreshed transparently, with reuse detection', async () => {
    const user = await registerUser(example.url, 'silent');
    const browser = await browserLogin(example.url, user);
    const original = browser.jar.clone();
    await sleep(3_300);
    const res = await protectedWith(example.url, browser.jar);
    expectJson(res, 200);
    expect(setCookies(res).length, 'new session cookies').toBeGreaterThan(0);
    // It carries live tokens, so no cache may keep it (RFC 9111 §5.2.2.5).
    expect(res.headers.get('cache-control'), 'no-store with new session cookies').toMatch(
      /(^|,)\s*no-store\b/,
    );
    browser.jar.update(res);
    // The spent refresh cookie replayed after the grace window revokes the family...
    expectError(await protectedWith(example.url, original), 401);
    // ...so the newest cookies stop working at once, their unexpired access cookie too.
    expectError(await protectedWith(example.url, browser.jar), 401, 'invalid_token');
  });

  it('after the logout button the old cookies no longer work, nor refresh', async () => {
    const user = await registerUser(example.url, 'byebye');
    const browser = await browserLogin(example.url, user);
    const original = browser.jar.clone();
    const home = await browser.get('/');
    const logout = formTo(home.text, '/auth/logout');
    expect(logout, 'a logout form').toBeDefined();
    expect((await browser.submit(logout!.action, logout!.fields)).status).toBe(303);
    // The session ended on the server: the replayed access cookie, not yet expired, is refused.
    expectError(await protectedWith(example.url, original), 401, 'invalid_token');
    const replayed = new Browser(example.url);
    for (const [name, value] of original.cookies) replayed.jar.cookies.set(name, value);
    const again = await replayed.get('/');
    expect(again.status, again.text.slice(0, 200)).toBe(303);
    expect(location(again, example.url).pathname).toBe('/auth/login');
    await sleep(3_300);
    expectError(await protectedWith(example.url, original), 401);
  });

  it('a browser that also sends Authorization: Basic (a password-protected proxy) keeps its cookie session', async () => {
    const user = await registerUser(example.url, 'gate');
    const basic = { authorization: `Basic ${Buffer.from('staff:gate-pw').toString('base64')}` };
    const browser = new Browser(example.url);
    const page = await browser.get('/auth/login', basic);
    expectHtml(page, 200);
    const form = passwordForm(page.text);
    const signedIn = await browser.submit(
      form.action || '/auth/login',
      { ...form.fields, username: user.username, password: user.password },
      basic,
    );
    expect(signedIn.status, signedIn.text.slice(0, 300)).toBe(303);
    const original = browser.jar.clone();
    const home = await browser.get('/', basic);
    expectHtml(home, 200);
    expect(home.text).toContain(user.username);
    const prot = await request(example.url, '/protected', {
      headers: { ...basic, accept: 'application/json', cookie: browser.jar.header() ?? '' },
    });
    expectJson(prot, 200);
    // Its logout button is the browser's logout: cookies cleared, the session revoked.
    const logout = formTo(home.text, '/auth/logout');
    expect(logout, 'a logout form').toBeDefined();
    const out = await browser.submit(logout!.action, logout!.fields, basic);
    expect(out.status, out.text.slice(0, 300)).toBe(303);
    expect(location(out, example.url).pathname).toBe('/auth/login');
    expect(setCookies(out).filter(clears).length).toBeGreaterThan(0);
    await sleep(1_500); // the access cookie lives AUTH_ACCESS_TTL=1 s; then only a refresh could help
    expectError(await protectedWith(example.url, original), 401);
  });

  it('a rate-limited browser login gets a 429 page', async () => {
    const user = await registerUser(example.url, 'limitpage');
    const browser = new Browser(example.url);
    for (let i = 0; i < 3; i++) {
      expectHtml(
        await browser.fill('/auth/login', { username: user.username, password: `wrong-${i}-pw` }),
        401,
      );
    }
    const res = await browser.fill('/auth/login', {
      username: user.username,
      password: user.password,
    });
    expectHtml(res, 429);
  });
}

/** Browser-mode case for an instance with AUTH_COOKIE_SECURE=true. */
export function secureCookieCases(example: ExampleRef): void {
  it('AUTH_COOKIE_SECURE=true → the session cookies are Secure', async () => {
    const user = await registerUser(example.url, 'secure');
    const browser = new Browser(example.url);
    const res = await browser.fill('/auth/login', {
      username: user.username,
      password: user.password,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expectSessionCookies(res, true);
  });
}
