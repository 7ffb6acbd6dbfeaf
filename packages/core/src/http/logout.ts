/**
 * `POST {base}/logout` as docs/API.md has it: by refresh token (that session's family), by
 * bearer token (its session; with `all`, every session of its user) or, in browser mode, by
 * session cookie (CSRF-checked). Always `204`: the answer tells nothing of the tokens
 * presented.
 */
import type { Principal } from '../tokens/principal.js';
import { isBearerScheme } from './bearer.js';
import type { BodyFields } from './body.js';
import { requestFacts } from './browser/respond.js';
import type { Browser } from './browser/routes.js';
import { empty } from './respond.js';

/** The flows a logout calls. */
export interface LogoutFlows {
  logout(token: string): Promise<void>;
  logoutAll(userId: string): Promise<number>;
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  authenticate(header: string | null | undefined): Promise<Principal>;
}

/** A logout answer for a request whose body has been read into `fields`. */
export type LogoutRoute = (request: Request, fields: BodyFields) => Promise<Response>;

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function field(fields: BodyFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `response` with `setCookie` added, one header each, as a new `Response`: headers are never
 * changed in place (a `Response` built by `Response.json` or a platform may have immutable
 * ones).
 */
function withCookies(response: Response, setCookie: readonly string[]): Response {
  if (setCookie.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const cookie of setCookie) headers.append('set-cookie', cookie);
  return new Response(response.body, { status: response.status, headers });
}

/**
 * By session cookie alone (no bearer header, and no token in the body unless `all`): a
 * state-changing cookie request, CSRF-checked. Revokes the session (with `all`, every
 * session of the cookie's user) and clears the cookies. `undefined` when the request
 * carries no session cookie.
 */
async function cookieLogout(
  browser: Browser,
  flows: LogoutFlows,
  request: Request,
  fields: BodyFields,
  all: boolean,
): Promise<Response | undefined> {
  const facts = requestFacts(request, field(fields, 'csrf_token'));
  const jar = browser.session.read(facts.cookie);
  if (!jar.access && !jar.refresh) return undefined;
  if (all) {
    // Authenticating a state-changing cookie request checks its CSRF token too.
    const { principal } = await browser.session.authenticate(facts);
    await flows.logoutAll(principal.userId);
  } else {
    browser.session.assertCsrf(facts, jar);
    await browser.endSession(jar);
  }
  return withCookies(empty(204), browser.session.clearCookies(true));
}

/**
 * True when a logout request names what to end by itself — a bearer header or a
 * `refresh_token` — rather than by the session cookies a browser sends on its own: such a
 * request can't be forged cross-site and gets the API's answer whatever its `Accept`.
 */
export function presentsCredentials(request: Request, fields: BodyFields): boolean {
  return isBearerScheme(request.headers.get('authorization')) || fields.refresh_token !== undefined;
}

/** The logout route of the JSON API (`browser` when browser mode is on). */
export function createLogout(flows: LogoutFlows, browser: Browser | undefined): LogoutRoute {
  return async (request, fields) => {
    // Only a bearer header names a session; another scheme (a proxy's `Basic`) leaves it to
    // the session cookies, as on every other route.
    const authorization = request.headers.get('authorization');
    const header = isBearerScheme(authorization) ? authorization : null;
    const refreshToken = field(fields, 'refresh_token');
    // `all` ends every session of the bearer's (or session cookie's) user; without a valid
    // one it does what the rest of the request identifies, if anything.
    if (isTrue(fields.all)) {
      const principal = header
        ? await flows.authenticate(header).catch(() => undefined)
        : undefined;
      if (principal) {
        await flows.logoutAll(principal.userId);
        return empty(204);
      }
      if (browser && !header) {
        const response = await cookieLogout(browser, flows, request, fields, true);
        if (response) return response;
      }
    }
    if (refreshToken !== undefined) {
      await flows.logout(refreshToken);
    } else if (header) {
      const principal = await flows.authenticate(header).catch(() => undefined);
      if (principal?.sessionId) await flows.revokeSession(principal.userId, principal.sessionId);
    } else if (browser) {
      const response = await cookieLogout(browser, flows, request, fields, false);
      if (response) return response;
    }
    return empty(204);
  };
}
