/**
 * `GET`/`POST {base}/login` and `{base}/register` for browsers. The forms carry a CSRF token
 * even before a session exists: the login page sets a csrf cookie and the form echoes it
 * (double submit), and the post must also pass the `Origin`/`Sec-Fetch-Site` check. That
 * stops login CSRF (a cross-site form logging the victim into the attacker's account) also
 * in a browser that sends neither header. A successful login starts a new CSRF token.
 */
import { type AuthError, isAuthError } from '../../errors.js';
import type { TokenResponse } from '../../flows/tokens.js';
import type { BodyFields } from '../body.js';
import { errorHeaders } from '../respond.js';
import type { CookieJar } from './cookies.js';
import { newCsrfToken } from './csrf.js';
import { htmlResponse, layout, type Page, redirect } from './html.js';
import { errorText, type FormState, loginPage, type PagePaths, registerPage } from './pages.js';
import type { PageSettings } from './respond.js';
import { requestFacts } from './respond.js';
import { loginLocation, safeReturnPath } from './return-path.js';
import type { CookieSession } from './session.js';

type Route = (
  request: Request,
  context: { clientAddress?: string | undefined },
) => Promise<Response>;

/** What the form routes need. */
export interface FormDeps {
  readonly session: CookieSession;
  readonly settings: PageSettings;
  readonly paths: PagePaths;
  readonly password: { min: number; max: number };
  readonly body: (request: Request) => Promise<BodyFields>;
  readonly login: (
    input: unknown,
    from: { clientAddress?: string | undefined },
  ) => Promise<TokenResponse>;
  readonly register: (input: unknown) => Promise<unknown>;
  /** Revokes the session of a cookie jar. */
  readonly endSession: (jar: CookieJar) => Promise<void>;
}

function text(fields: BodyFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** Client errors are shown on the form; anything else (5xx) goes to the error page. */
function shownOnForm(error: unknown): error is AuthError {
  return isAuthError(error) && error.status < 500;
}

/** Builds the four form routes. */
export function formRoutes(d: FormDeps) {
  const { session, settings: s } = d;
  const render = (kind: 'login' | 'register', state: FormState): Page =>
    kind === 'login'
      ? loginPage(d.paths, state, s.homePath)
      : registerPage(d.paths, state, s.homePath, d.password);
  const page = (status: number, p: Page, cookies: readonly string[], extra = {}) =>
    htmlResponse(status, layout(p, s.appName, s.stylesheet), cookies, extra);
  /** The checked return path; never the login or registration page (that would loop). */
  const returnPath = (raw: string | null | undefined): string => {
    const next = safeReturnPath(raw, s.homePath);
    const path = next.split(/[?#]/, 1)[0];
    return path === d.paths.login || path === d.paths.register ? s.homePath : next;
  };
  /** The jar's CSRF token, or a new one with the cookie that sets it. */
  const csrfOf = (jar: CookieJar): [string, string[]] => {
    if (jar.csrf) return [jar.csrf, []];
    const csrf = newCsrfToken();
    return [csrf, [session.csrfCookie(csrf)]];
  };

  const show =
    (kind: 'login' | 'register'): Route =>
    async (request) => {
      const facts = requestFacts(request);
      const next = returnPath(new URL(request.url).searchParams.get('next'));
      const jar = session.read(facts.cookie);
      let stale: string[] = [];
      if (jar.access || jar.refresh) {
        try {
          const auth = await session.authenticate({ ...facts, authorization: undefined });
          // Already signed in: home, as the contract says, whatever the return path.
          return redirect(s.homePath, auth.setCookie);
        } catch (error) {
          if (!isAuthError(error) || error.status >= 500) throw error;
          stale = session.clearCookies(false);
        }
      }
      const [csrf, cookies] = csrfOf(jar);
      return page(200, render(kind, { csrf, next }), [...stale, ...cookies]);
    };

  const submit =
    (kind: 'login' | 'register'): Route =>
    async (request, context) => {
      const fields = await d.body(request);
      const url = new URL(request.url);
      const next = returnPath(text(fields, 'next') ?? url.searchParams.get('next'));
      const facts = requestFacts(request, text(fields, 'csrf_token'));
      const jar = session.read(facts.cookie);
      const username = text(fields, 'username');
      const input = { username: fields.username, password: fields.password };
      try {
        session.assertCsrf(facts, jar);
      } catch (error) {
        const [csrf, cookies] = csrfOf(jar);
        // No field is at fault: the form itself could not be verified.
        const state = { csrf, next, username, error: errorText(error).message, fields: [] };
        return page(403, render(kind, state), cookies);
      }
      const csrf = jar.csrf!;
      let tokens: TokenResponse;
      let registered = false;
      try {
        if (kind === 'register') {
          await d.register(input);
          registered = true;
        }
        tokens = await d.login(input, context);
      } catch (error) {
        if (!shownOnForm(error)) throw error;
        // Registered but not logged in (e.g. throttled): the login page says the rest.
        if (registered) return redirect(loginLocation(s.loginPath, next));
        const message =
          kind === 'login' && error.code === 'invalid_request'
            ? 'Enter your username and password.'
            : errorText(error).message;
        const issues = kind === 'register' ? error.issues : undefined;
        // A taken name is the username's fault alone; a failed login names neither field.
        const fields = error.code === 'username_taken' ? ['username'] : undefined;
        const state = { csrf, next, username, error: message, issues, fields };
        return page(error.status, render(kind, state), [], errorHeaders(error, s.realm));
      }
      // A session the browser held before (another user, or a forgotten one) ends here.
      if (jar.access || jar.refresh) await d.endSession(jar).catch(() => {});
      return redirect(next, session.sessionCookies(tokens, newCsrfToken()));
    };

  return {
    showLogin: show('login'),
    submitLogin: submit('login'),
    showRegister: show('register'),
    submitRegister: submit('register'),
  };
}
