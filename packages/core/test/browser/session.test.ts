import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../../src/http/browser/session.js';
import { harness, registerAndLogin } from '../helpers.js';
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

const HOST = 'app.test';
const ACCESS = '__Host-auth_access';
const REFRESH = '__Host-auth_refresh';
const CSRF = '__Host-auth_csrf';

/** The facts an adapter would pass for a same-origin request of the page's own scripts. */
function facts(jar: Jar, extra: Partial<RequestFacts> = {}): RequestFacts {
  return { method: 'GET', cookie: jar.header(), host: HOST, ...extra };
}

function post(jar: Jar, extra: Partial<RequestFacts> = {}): RequestFacts {
  return facts(jar, {
    method: 'POST',
    origin: ORIGIN,
    secFetchSite: 'same-origin',
    csrfToken: jar.get(CSRF),
    ...extra,
  });
}

describe('authenticateRequest: cookie sessions', () => {
  it('a logged-in browser is authenticated by its access cookie', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const user = await h.auth.users.findByUsername('alice');
    const auth = await h.auth.authenticateRequest(facts(jar));
    expect(auth.via).toBe('cookie');
    expect(auth.principal.userId).toBe(user!.id);
    expect(auth.setCookie).toEqual([]);
    // The answer is this user's: no cache may keep it or give it to another cookie.
    expect(auth.headers).toEqual([
      ['cache-control', 'no-store'],
      ['vary', 'Cookie'],
    ]);
    expect(auth.csrfToken).toBe(jar.get(CSRF));
  });

  it('GET /auth/me accepts the cookie session like a bearer token', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/me`, { headers: { cookie: jar.header() } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ username: 'alice', roles: ['user'] });
  });

  it('no credentials: unauthorized; a bad access cookie without refresh cookie: invalid_token', async () => {
    const h = browserHarness();
    await expect(h.auth.authenticateRequest({ host: HOST })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    const jar = new Jar();
    jar.cookies.set(ACCESS, 'e30.e30.AAAA');
    await expect(h.auth.authenticateRequest(facts(jar))).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('an expired access cookie is refreshed transparently: new cookies, rotation as usual', async () => {
    const h = browserHarness({ accessTokenTtl: 60 });
    const { jar } = await browserLogin(h);
    const oldRefresh = jar.get(REFRESH)!;
    const csrf = jar.get(CSRF);
    h.clock.advanceSeconds(120);
    // The browser dropped the access cookie at Max-Age; the server sees the refresh cookie only.
    jar.cookies.delete(ACCESS);
    const auth = await h.auth.authenticateRequest(facts(jar));
    expect(auth.via).toBe('cookie');
    const set = Object.fromEntries(
      auth.setCookie.map((l) => [parseSetCookie(l).name, parseSetCookie(l)]),
    );
    expect(Object.keys(set).sort()).toEqual([ACCESS, CSRF, REFRESH]);
    // What the answer must carry: each cookie as its own field, then no-store and Vary.
    expect(auth.headers).toEqual([
      ...auth.setCookie.map((line) => ['set-cookie', line]),
      ['cache-control', 'no-store'],
      ['vary', 'Cookie'],
    ]);
    expect(set[ACCESS]!.attributes['max-age']).toBe('60');
    expect(set[REFRESH]!.value).not.toBe(oldRefresh);
    expect(set[CSRF]!.value).toBe(csrf); // the session's CSRF token stays
    expect(h.events.filter((e) => e.type === 'refresh')).toHaveLength(1);
    jar.cookies.set(ACCESS, set[ACCESS]!.value);
    jar.cookies.set(REFRESH, set[REFRESH]!.value);
    const again = await h.auth.authenticateRequest(facts(jar));
    expect(again.setCookie).toEqual([]);
    expect(again.headers).toEqual([
      ['cache-control', 'no-store'],
      ['vary', 'Cookie'],
    ]);
    expect(again.principal.userId).toBe(auth.principal.userId);
  });

  it('an expired access cookie still sent is refreshed the same way', async () => {
    const h = browserHarness({ accessTokenTtl: 60 });
    const { jar } = await browserLogin(h);
    h.clock.advanceSeconds(61);
    const auth = await h.auth.authenticateRequest(facts(jar));
    expect(auth.setCookie).toHaveLength(3);
  });

  it('replaying the old refresh cookie after the grace window revokes the family', async () => {
    const h = browserHarness({ accessTokenTtl: 60, refreshReuseGrace: 10 });
    const { jar } = await browserLogin(h);
    const stolen = new Jar();
    stolen.cookies.set(REFRESH, jar.get(REFRESH)!);
    h.clock.advanceSeconds(61);
    const first = await h.auth.authenticateRequest(facts(jar));
    for (const line of first.setCookie) {
      const c = parseSetCookie(line);
      jar.cookies.set(c.name, c.value);
    }
    h.clock.advanceSeconds(30); // past the grace window
    await expect(h.auth.authenticateRequest(facts(stolen))).rejects.toMatchObject({
      code: 'invalid_token',
    });
    expect(h.events.some((e) => e.type === 'refresh_reuse_detected')).toBe(true);
    // The family is revoked: the legitimate browser's newest refresh cookie is dead too.
    h.clock.advanceSeconds(61);
    jar.cookies.delete(ACCESS);
    await expect(h.auth.authenticateRequest(facts(jar))).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('a browser whose session died is sent to the login page from the home page', async () => {
    const h = browserHarness({ accessTokenTtl: 60, refreshTokenTtl: 120 });
    const { jar } = await browserLogin(h);
    h.clock.advanceSeconds(600);
    const response = await h.auth.handler(visit('/', jar));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/login?next=/');
  });

  it('the home page refreshes transparently and sets the new cookies', async () => {
    const h = browserHarness({ accessTokenTtl: 60 });
    const { jar } = await browserLogin(h);
    h.clock.advanceSeconds(61);
    jar.cookies.delete(ACCESS);
    const response = await h.auth.handler(visit('/', jar));
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(3);
  });
});

describe('authenticateRequest: CSRF on state-changing cookie requests', () => {
  it('same origin with the CSRF token passes (header or form field, as the adapter passes it)', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      await expect(h.auth.authenticateRequest(post(jar, { method }))).resolves.toMatchObject({
        via: 'cookie',
      });
    }
    // Neither Origin nor Sec-Fetch-Site (an old browser): the token alone.
    await expect(
      h.auth.authenticateRequest(post(jar, { origin: null, secFetchSite: null })),
    ).resolves.toMatchObject({ via: 'cookie' });
  });

  it.each<[string, Partial<RequestFacts>]>([
    ['a cross-site Origin', { origin: 'https://evil.test', secFetchSite: null }],
    ['Origin "null"', { origin: 'null', secFetchSite: null }],
    ['Sec-Fetch-Site: cross-site', { origin: null, secFetchSite: 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site (a sibling subdomain)',
      { origin: null, secFetchSite: 'same-site' },
    ],
    ['an http Origin with secure cookies', { origin: 'http://app.test', secFetchSite: null }],
    ['another port', { origin: 'https://app.test:8443', secFetchSite: null }],
    ['no CSRF token', { csrfToken: undefined }],
    ['a wrong CSRF token', { csrfToken: 'A'.repeat(43) }],
  ])('%s → 403 forbidden, before any refresh', async (_, extra) => {
    const h = browserHarness({ accessTokenTtl: 60 });
    const { jar } = await browserLogin(h);
    h.clock.advanceSeconds(61);
    await expect(h.auth.authenticateRequest(post(jar, extra))).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    expect(h.events.filter((e) => e.type === 'refresh')).toHaveLength(0);
  });

  it('safe methods need no CSRF token', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const auth = await h.auth.authenticateRequest(
      facts(jar, { method: 'GET', secFetchSite: 'cross-site', origin: 'https://evil.test' }),
    );
    expect(auth.via).toBe('cookie');
  });

  it('trusted origins and loopback http are accepted', async () => {
    const h = browserHarness({ browser: { trustedOrigins: ['https://public.example'] } });
    const { jar } = await browserLogin(h);
    await expect(
      h.auth.authenticateRequest(
        post(jar, { origin: 'https://public.example', host: 'internal:8080' }),
      ),
    ).resolves.toMatchObject({ via: 'cookie' });
    await expect(
      h.auth.authenticateRequest(
        post(jar, { origin: 'http://localhost:3000', host: 'localhost:3000' }),
      ),
    ).resolves.toMatchObject({ via: 'cookie' });
  });

  it('bearer requests are unaffected: no CSRF check, cookies ignored', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    await h.auth.register({ username: 'bob', password: PASSWORD });
    const bob = await h.auth.login({ username: 'bob', password: PASSWORD });
    const auth = await h.auth.authenticateRequest(
      post(jar, {
        authorization: `Bearer ${bob.access_token}`,
        origin: 'https://evil.test',
        secFetchSite: 'cross-site',
        csrfToken: undefined,
      }),
    );
    expect(auth.via).toBe('bearer');
    expect(auth.principal.userId).toBe((await h.auth.users.findByUsername('bob'))!.id);
    expect(auth.setCookie).toEqual([]);
    expect(auth.headers).toEqual([]);
    // A bad bearer token is not rescued by a good cookie.
    await expect(
      h.auth.authenticateRequest(facts(jar, { authorization: 'Bearer nope' })),
    ).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('with browser mode off, cookies are never read', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const plain = harness();
    await expect(plain.auth.authenticateRequest(facts(jar))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(plain.auth.browserMode).toBe(false);
    expect(h.auth.browserMode).toBe(true);
    // A bearer token is all that counts there, and the answer has nothing to carry.
    const { user, tokens } = await registerAndLogin(plain);
    const bearer = await plain.auth.authenticateRequest(
      facts(jar, { authorization: `Bearer ${tokens.access_token}` }),
    );
    expect(bearer).toMatchObject({ via: 'bearer', setCookie: [], headers: [] });
    expect(bearer.principal.userId).toBe(user.id);
  });
});

describe('browser mode: CSRF on the auth forms', () => {
  async function pageWithToken(h = browserHarness()) {
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const jar = new Jar();
    const page = await h.auth.handler(visit('/auth/login', jar));
    jar.apply(page);
    return { h, jar, csrf: hiddenField(await page.text(), 'csrf_token')! };
  }

  it.each<[string, Record<string, string>]>([
    ['a cross-site Origin', { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: cross-site alone', { origin: '', 'sec-fetch-site': 'cross-site' }],
  ])('a login form posted from %s is refused with 403', async (_, headers) => {
    const { h, jar, csrf } = await pageWithToken();
    const response = await h.auth.handler(
      submit(
        '/auth/login',
        { username: 'alice', password: PASSWORD, csrf_token: csrf },
        jar,
        headers,
      ),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().filter((l) => l.includes('auth_access'))).toEqual([]);
    expect(h.events.some((e) => e.type === 'login_success')).toBe(false);
  });

  it('a login form without the token, or without the csrf cookie, is refused with 403', async () => {
    const { h, jar, csrf } = await pageWithToken();
    const noField = await h.auth.handler(
      submit('/auth/login', { username: 'alice', password: PASSWORD }, jar),
    );
    expect(noField.status).toBe(403);
    const noCookie = await h.auth.handler(
      submit('/auth/login', { username: 'alice', password: PASSWORD, csrf_token: csrf }),
    );
    expect(noCookie.status).toBe(403);
    const html = await noCookie.text();
    expect(html).toContain('The form could not be verified');
    // The refused form comes back with a fresh token to try again with.
    expect(hiddenField(html, 'csrf_token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a cross-site logout post is refused with 403 and the session lives on', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(
      submit('/auth/logout', { csrf_token: jar.get(CSRF)! }, jar, {
        origin: 'https://evil.test',
        'sec-fetch-site': 'cross-site',
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await expect(h.auth.authenticateRequest(facts(jar))).resolves.toMatchObject({ via: 'cookie' });
  });

  it('a same-origin logout without the CSRF token is refused with 403', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(submit('/auth/logout', {}, jar));
    expect(response.status).toBe(403);
  });
});

describe('browser mode: logout', () => {
  it('clears the cookies (Max-Age=0), revokes the family and goes to the login page', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const refresh = jar.get(REFRESH)!;
    const before = { ...Object.fromEntries(jar.cookies) };
    const response = await h.auth.handler(
      submit('/auth/logout', { csrf_token: jar.get(CSRF)! }, jar),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/login');
    const cleared = response.headers.getSetCookie().map(parseSetCookie);
    expect(cleared.map((c) => c.name).sort()).toEqual([ACCESS, CSRF, REFRESH]);
    for (const c of cleared) {
      expect(c.value).toBe('');
      expect(c.attributes['max-age']).toBe('0');
      expect(c.attributes.path).toBe('/');
      expect(c.attributes.secure).toBe(true);
    }
    expect(h.events.some((e) => e.type === 'logout')).toBe(true);
    await expect(h.auth.refresh(refresh)).rejects.toMatchObject({ code: 'invalid_grant' });
    // Cookies replayed after logout: the refresh cookie is dead.
    const replay = new Jar();
    replay.cookies.set(REFRESH, before[REFRESH]!);
    await expect(h.auth.authenticateRequest(facts(replay))).rejects.toMatchObject({
      code: 'invalid_token',
    });
    // And so is the access cookie, though its token has not expired: the session ended on
    // the server. The home page sends the replayed jar to the login page.
    const all = new Jar();
    for (const [name, value] of Object.entries(before)) all.cookies.set(name, value);
    await expect(h.auth.authenticateRequest(facts(all))).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'the session has expired or was revoked',
    });
    const home = await h.auth.handler(visit('/', all));
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/auth/login?next=/');
    const me = await h.auth.handler(
      new Request(`${ORIGIN}/auth/me`, { headers: { cookie: all.header() } }),
    );
    expect(me.status).toBe(401);
  });

  it('logout everywhere, or reuse detection, ends every cookie session at once', async () => {
    const h = browserHarness({ refreshReuseGrace: 0 });
    const laptop = (await browserLogin(h)).jar;
    const phone = (await browserLogin(h)).jar;
    const principal = (await h.auth.authenticateRequest(facts(laptop))).principal;
    await h.auth.logoutAll(principal.userId);
    for (const jar of [laptop, phone]) {
      await expect(h.auth.authenticateRequest(facts(jar))).rejects.toMatchObject({
        code: 'invalid_token',
      });
    }
    // A stolen refresh token replayed after its rotation revokes the family: the access
    // cookie of the family's newest token stops working too.
    const tablet = (await browserLogin(h)).jar;
    const stolen = tablet.get(REFRESH)!;
    await h.auth.refresh(stolen);
    await expect(h.auth.refresh(stolen)).rejects.toMatchObject({ code: 'invalid_grant' });
    await expect(h.auth.authenticateRequest(facts(tablet))).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('a bearer access token stays valid until it expires; only cookie sessions are looked up', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const tokens = await h.auth.login({ username: 'alice', password: PASSWORD });
    await h.auth.logout(tokens.refresh_token);
    const bearer = await h.auth.authenticateRequest({
      host: HOST,
      authorization: `Bearer ${tokens.access_token}`,
    });
    expect(bearer.via).toBe('bearer');
    // Another session of the same user is not touched by this logout.
    expect((await h.auth.authenticateRequest(facts(jar))).via).toBe('cookie');
  });

  it('without a session it just goes to the login page', async () => {
    const h = browserHarness();
    const response = await h.auth.handler(submit('/auth/logout', {}));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/login');
  });

  it('an API client logging out by cookie (X-CSRF-Token) gets 204 and cleared cookies', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          cookie: jar.header(),
          origin: ORIGIN,
          'x-csrf-token': jar.get(CSRF)!,
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toHaveLength(3);
    await expect(h.auth.refresh(jar.get(REFRESH)!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('an API client logging out by cookie without the token: 403 JSON', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: { cookie: jar.header(), origin: 'https://evil.test' },
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'forbidden' });
  });

  it('logout of every session by cookie ({"all": true}): CSRF-checked, then all revoked', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const other = await h.auth.login({ username: 'alice', password: PASSWORD });
    const logoutAll = (headers: Record<string, string>) =>
      h.auth.handler(
        new Request(`${ORIGIN}/auth/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: jar.header(), ...headers },
          body: JSON.stringify({ all: true }),
        }),
      );
    const crossSite = await logoutAll({ origin: 'https://evil.test', accept: 'application/json' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: 'forbidden' });
    await expect(h.auth.refresh(other.refresh_token)).resolves.toBeDefined();
    const ok = await logoutAll({ origin: ORIGIN, 'x-csrf-token': jar.get(CSRF)! });
    expect(ok.status).toBe(204);
    expect(ok.headers.getSetCookie()).toHaveLength(3);
    await expect(h.auth.refresh(jar.get(REFRESH)!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    expect(h.events.some((e) => e.type === 'logout_all')).toBe(true);
  });

  it("a logout carrying a proxy's Basic header is the cookie session's: CSRF-checked, then revoked", async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const other = await h.auth.login({ username: 'alice', password: PASSWORD });
    const logout = (body: object, headers: Record<string, string>) =>
      h.auth.handler(
        new Request(`${ORIGIN}/auth/logout`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization: 'Basic c3RhZmY6Z2F0ZQ==',
            cookie: jar.header(),
            ...headers,
          },
          body: JSON.stringify(body),
        }),
      );
    const crossSite = await logout({ all: true }, { origin: 'https://evil.test' });
    expect(crossSite.status).toBe(403);
    await expect(h.auth.refresh(other.refresh_token)).resolves.toBeDefined();
    const ok = await logout({ all: true }, { origin: ORIGIN, 'x-csrf-token': jar.get(CSRF)! });
    expect(ok.status).toBe(204);
    expect(ok.headers.getSetCookie()).toHaveLength(3);
    await expect(h.auth.refresh(jar.get(REFRESH)!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('logout of every session without bearer or cookie is 204 and revokes nothing', async () => {
    const h = browserHarness();
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const session = await h.auth.login({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ all: true }),
      }),
    );
    expect(response.status).toBe(204);
    await expect(h.auth.refresh(session.refresh_token)).resolves.toBeDefined();
  });

  it('a bearer logout is unchanged even when cookies are present', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const tokens = await h.auth.login({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: jar.header() },
        body: JSON.stringify({ refresh_token: tokens.refresh_token }),
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual([]);
    await expect(h.auth.authenticateRequest(facts(jar))).resolves.toMatchObject({ via: 'cookie' });
  });

  it('a bearer logout with a browser Accept is the API logout: no CSRF check, everything revoked', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const tokens = await h.auth.login({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: {
          accept: HTML_ACCEPT,
          authorization: `Bearer ${tokens.access_token}`,
          'content-type': 'application/json',
          cookie: jar.header(),
          origin: 'https://evil.test',
          'sec-fetch-site': 'cross-site',
        },
        body: JSON.stringify({ all: true }),
      }),
    );
    expect(response.status).toBe(204);
    await expect(h.auth.refresh(tokens.refresh_token)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    await expect(h.auth.refresh(jar.get(REFRESH)!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('a refresh token in a browser-Accept logout body is revoked, as for an API client', async () => {
    const h = browserHarness();
    await h.auth.register({ username: 'alice', password: PASSWORD });
    const tokens = await h.auth.login({ username: 'alice', password: PASSWORD });
    const response = await h.auth.handler(
      submit('/auth/logout', { refresh_token: tokens.refresh_token }),
    );
    expect(response.status).toBe(204);
    await expect(h.auth.refresh(tokens.refresh_token)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });
});

describe('errorParts and loginLocation for the app routes', () => {
  it('a browser not logged in GETting a page is sent to the login page with its path', async () => {
    const h = browserHarness();
    const error = await h.auth.authenticateRequest({ host: HOST }).catch((e: unknown) => e);
    const parts = h.auth.errorParts(error, {
      accept: HTML_ACCEPT,
      method: 'GET',
      path: '/protected?x=1',
    });
    expect(parts.status).toBe(303);
    expect(parts.headers.location).toBe('/auth/login?next=/protected%3Fx%3D1');
    expect(parts.headers.vary).toBe('Accept, Cookie');
    expect(parts.body).toBe('');
  });

  it('an API client gets the JSON error, byte for byte as errorParts, with Vary', async () => {
    const h = browserHarness();
    const error = await h.auth.authenticateRequest({ host: HOST }).catch((e: unknown) => e);
    const parts = h.auth.errorParts(error, { accept: 'application/json', path: '/protected' });
    expect(parts.status).toBe(401);
    expect(parts.headers['www-authenticate']).toBe('Bearer realm="auth"');
    expect(JSON.parse(parts.body)).toEqual({
      error: 'unauthorized',
      error_description: 'authentication required',
    });
    // In browser mode the Accept and the cookies chose this answer (RFC 9110 §12.5.5);
    // without it nothing is negotiated, and nothing varies.
    expect(parts.headers.vary).toBe('Accept, Cookie');
    const { vary: _, ...rest } = parts.headers;
    const plain = harness().auth.errorParts(error, { accept: HTML_ACCEPT });
    expect(plain).toEqual({ ...parts, headers: rest });
    expect(plain.headers.vary).toBeUndefined();
  });

  it('a request with a bearer header gets the JSON error and its challenge, whatever its Accept', async () => {
    const h = browserHarness();
    const facts = { accept: HTML_ACCEPT, method: 'GET', path: '/protected' };
    const error = await h.auth.authenticate('Bearer not.a.jwt').catch((e: unknown) => e);
    const parts = h.auth.errorParts(error, { ...facts, authorization: 'bearer not.a.jwt' });
    expect(parts.status).toBe(401);
    expect(parts.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(parts.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(parts.body)).toMatchObject({ error: 'invalid_token' });
    expect(parts.headers.vary).toBe('Accept, Cookie');
    // Another scheme (a proxy's Basic) leaves the browser its redirect.
    const basic = h.auth.errorParts(error, { ...facts, authorization: 'Basic dTpw' });
    expect(basic.status).toBe(303);
  });

  it('a browser without the role, or refused by CSRF, gets an HTML 403 page', async () => {
    const h = browserHarness();
    const { jar } = await browserLogin(h);
    const { principal } = await h.auth.authenticateRequest(facts(jar));
    let error: unknown;
    try {
      h.auth.authorize(principal, { role: 'admin' });
    } catch (e) {
      error = e;
    }
    const parts = h.auth.errorParts(error, { accept: HTML_ACCEPT, path: '/admin' });
    expect(parts.status).toBe(403);
    expect(parts.headers['content-type']).toBe('text/html; charset=utf-8');
    // The headers of every other page, Referrer-Policy included, and what chose it.
    expect(parts.headers['referrer-policy']).toBe('same-origin');
    expect(parts.headers['x-frame-options']).toBe('DENY');
    expect(parts.headers.vary).toBe('Accept, Cookie');
    expect(parts.body).toContain('You do not have access to this page.');
    const csrf = await h.auth
      .authenticateRequest(post(jar, { csrfToken: undefined }))
      .catch((e) => e);
    const refused = h.auth.errorParts(csrf, { accept: HTML_ACCEPT, method: 'POST' });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('CSRF'); // no detail for an attacker
  });

  it('loginLocation builds the redirect target', () => {
    const h = browserHarness();
    expect(h.auth.loginLocation('/')).toBe('/auth/login?next=/');
    expect(h.auth.loginLocation('//evil.com')).toBe('/auth/login');
    expect(h.auth.paths).toMatchObject({ login: '/auth/login', home: '/' });
  });
});
