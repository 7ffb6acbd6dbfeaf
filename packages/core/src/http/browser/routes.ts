/**
 * Browser mode's routes: the login and registration pages, logout, the optional home page
 * and the pages' stylesheet. The handler gives browsers (`Accept` prefers HTML) these routes
 * in place of the JSON ones of the same path and method; API clients never see them.
 */
import type { ResolvedBrowserOptions, ResolvedOptions } from '../../config.js';
import { isAuthError } from '../../errors.js';
import type { PublicUser } from '../../flows/public-user.js';
import type { TokenResponse } from '../../flows/tokens.js';
import type { Principal } from '../../tokens/principal.js';
import type { BodyFields } from '../body.js';
import { type LogoutRoute, presentsCredentials } from '../logout.js';
import { json } from '../respond.js';
import type { CookieJar } from './cookies.js';
import { formRoutes } from './forms.js';
import { htmlResponse, layout, redirect, stylesheetResponse } from './html.js';
import { wantsPage } from './negotiate.js';
import { homePage, messagePage, type PagePaths } from './pages.js';
import { errorPageResponse, type PageSettings, requestFacts } from './respond.js';
import { loginLocation } from './return-path.js';
import { type CookieSession, createCookieSession } from './session.js';

type Route = (
  request: Request,
  context: { clientAddress?: string | undefined },
) => Promise<Response>;
/** Path → method → route. */
export type RouteTable = Record<string, Partial<Record<string, Route>>>;

/** The flows browser mode calls. */
export interface BrowserFlows {
  register(input: unknown): Promise<PublicUser>;
  login(input: unknown, from: { clientAddress?: string | undefined }): Promise<TokenResponse>;
  refresh(token: string): Promise<TokenResponse>;
  logout(token: string): Promise<void>;
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  authenticate(header: string | null | undefined): Promise<Principal>;
  verifyAccessToken(token: string): Promise<Principal>;
  /** True while the session of `principal` is live (not revoked). */
  sessionLive(principal: Principal): Promise<boolean>;
  me(principal: Principal): Promise<PublicUser>;
}

/** Browser mode of one auth instance. */
export interface Browser {
  readonly options: ResolvedBrowserOptions;
  readonly session: CookieSession;
  readonly settings: PageSettings;
  /** Routes served to browsers instead of the JSON ones. */
  readonly htmlRoutes: RouteTable;
  /** Routes served to everyone (the stylesheet; the home page, which negotiates itself). */
  readonly sharedRoutes: RouteTable;
  /** Ends the session of a cookie jar: revokes its family. */
  endSession(jar: CookieJar): Promise<void>;
  /** An HTML error page. */
  errorPage(error: unknown): Response;
}

/** Wraps a browser route so that its errors are pages, not JSON. */
function paged(route: Route, errorPage: (error: unknown) => Response): Route {
  return (request, context) => route(request, context).catch(errorPage);
}

/**
 * Builds browser mode, or `undefined` when it is off. `apiLogout` answers a logout that
 * presents a bearer header or a refresh token, whatever its `Accept`.
 */
export function createBrowser(
  options: ResolvedOptions,
  flows: BrowserFlows,
  body: (request: Request) => Promise<BodyFields>,
  apiLogout: LogoutRoute,
): Browser | undefined {
  const b = options.browser;
  if (!b) return undefined;
  const base = options.basePath;
  const stylesheet = `${base}/style.css`;
  const paths: PagePaths = {
    login: b.loginPath,
    register: `${base}/register`,
    logout: `${base}/logout`,
  };
  const settings: PageSettings = {
    appName: b.appName,
    stylesheet,
    loginPath: b.loginPath,
    homePath: b.homePath,
    realm: options.realm,
  };
  const session = createCookieSession(
    b,
    { access: options.accessTokenTtl, refresh: options.refreshTokenTtl },
    flows,
  );
  const errorPage = (error: unknown) => errorPageResponse(error, settings);
  const endSession = async (jar: CookieJar): Promise<void> => {
    if (jar.refresh) await flows.logout(jar.refresh);
    // The access cookie names its session too (`sid`); revoke it as well, in case the
    // refresh cookie was missing or outdated.
    const principal = jar.access
      ? await flows.verifyAccessToken(jar.access).catch(() => undefined)
      : undefined;
    if (principal?.sessionId) await flows.revokeSession(principal.userId, principal.sessionId);
  };

  const forms = formRoutes({
    session,
    settings,
    paths,
    password: { min: options.minPasswordLength, max: options.maxPasswordLength },
    body,
    login: flows.login,
    register: flows.register,
    endSession,
  });

  const logout: Route = async (request) => {
    const fields = await body(request);
    // A bearer header or a refresh token in the body names what to end, and can't be sent
    // cross-site by a form: the API's logout, not the cookie session's (no CSRF check).
    if (presentsCredentials(request, fields)) return apiLogout(request, fields);
    const csrf = typeof fields.csrf_token === 'string' ? fields.csrf_token : undefined;
    const facts = requestFacts(request, csrf);
    const jar = session.read(facts.cookie);
    if (!jar.access && !jar.refresh) return redirect(b.loginPath);
    try {
      session.assertCsrf(facts, jar);
    } catch (error) {
      const text = 'The request could not be verified. Reload the page and try again.';
      const page = messagePage('Request refused', text, { href: b.homePath, text: 'Go back' });
      return htmlResponse(
        isAuthError(error) ? error.status : 403,
        layout(page, b.appName, stylesheet),
      );
    }
    await endSession(jar);
    return redirect(b.loginPath, session.clearCookies(true));
  };

  const home: Route = async (request) => {
    const html = wantsPage(request.headers.get('accept'), request.headers.get('authorization'));
    const facts = requestFacts(request);
    let user: PublicUser;
    let auth: Awaited<ReturnType<CookieSession['authenticate']>>;
    try {
      auth = await session.authenticate(facts);
      user = await flows.me(auth.principal);
    } catch (error) {
      if (!html || !isAuthError(error) || error.status >= 500) throw error;
      const jar = session.read(facts.cookie);
      const url = new URL(request.url);
      const stale = jar.access || jar.refresh ? session.clearCookies(false) : [];
      return redirect(loginLocation(b.loginPath, `${url.pathname}${url.search}`), stale);
    }
    if (!html) {
      return json(200, { user }, {}, auth.setCookie);
    }
    const page = homePage(paths, user, auth.csrfToken ?? '');
    return htmlResponse(200, layout(page, b.appName, stylesheet), auth.setCookie);
  };

  const htmlRoutes: RouteTable = {
    [paths.login]: {
      GET: paged(forms.showLogin, errorPage),
      POST: paged(forms.submitLogin, errorPage),
    },
    [paths.register]: {
      GET: paged(forms.showRegister, errorPage),
      POST: paged(forms.submitRegister, errorPage),
    },
    [paths.logout]: { POST: paged(logout, errorPage) },
  };
  const sharedRoutes: RouteTable = { [stylesheet]: { GET: async () => stylesheetResponse() } };
  if (b.homePage) {
    sharedRoutes[b.homePath] = {
      GET: (request, context) =>
        wantsPage(request.headers.get('accept'), request.headers.get('authorization'))
          ? paged(home, errorPage)(request, context)
          : home(request, context),
    };
  }
  return { options: b, session, settings, htmlRoutes, sharedRoutes, endSession, errorPage };
}
