/**
 * The Fetch-standard handler of the auth routes of docs/API.md:
 * `POST {base}/register|login|token|refresh|logout`, `GET {base}/me` and the JWKS route;
 * in browser mode also the pages (chosen by content negotiation: API clients keep the JSON
 * routes, unchanged), and with docs the OpenAPI document and the docs page.
 */
import type { AuthContext } from '../context.js';
import { AuthError, isAuthError } from '../errors.js';
import type { PublicUser } from '../flows/public-user.js';
import { isSessionLive } from '../flows/session-live.js';
import type { TokenResponse } from '../flows/tokens.js';
import { tokenRequestSchema } from '../schemas.js';
import type { Principal } from '../tokens/principal.js';
import { validate } from '../validate.js';
import { discardBody, readFields } from './body.js';
import { wantsPage } from './browser/negotiate.js';
import { NEGOTIATED, requestFacts } from './browser/respond.js';
import { createBrowser } from './browser/routes.js';
import { createDocs } from './docs/routes.js';
import type { OpenApiDocument } from './docs/types.js';
import { createLogout } from './logout.js';
import { allowOf, headAnswer, routeOf } from './methods.js';
import { errorResponse, json } from './respond.js';

/** Per-request facts an adapter knows and a `Request` does not carry. */
export interface HandlerContext {
  /** The client's address (the socket's, or a trusted proxy's forwarded one). */
  clientAddress?: string | undefined;
}

/** The flows the handler calls. */
export interface HandlerFlows {
  register(input: unknown): Promise<PublicUser>;
  login(input: unknown, from: HandlerContext): Promise<TokenResponse>;
  refresh(token: string): Promise<TokenResponse>;
  logout(token: string): Promise<void>;
  logoutAll(userId: string): Promise<number>;
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  authenticate(header: string | null | undefined): Promise<Principal>;
  verifyAccessToken(token: string): Promise<Principal>;
  me(principal: Principal): Promise<PublicUser>;
  jwks(): Promise<{ keys: object[] }>;
  openapi(): OpenApiDocument;
}

type Route = (request: Request, context: HandlerContext) => Promise<Response>;

type RouteTable = Record<string, Partial<Record<string, Route>>>;

/**
 * `response` with `Vary: Accept, Cookie`, as a new `Response` built with it: a header
 * appended to a built one is lost where a server copies a response from its init (as
 * `@hono/node-server`'s own `Response` does when a middleware then sets a header).
 */
function varying(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.append('vary', NEGOTIATED);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** Builds the routes table and the handler. */
export function createHandler(ctx: AuthContext, flows: HandlerFlows) {
  const { basePath, jwksPath, maxBodyBytes, realm } = ctx.options;
  const body = (request: Request) => readFields(request, maxBodyBytes);
  const sessionLive = (principal: Principal) => isSessionLive(ctx, principal);
  const browser = createBrowser(ctx.options, { ...flows, sessionLive }, body, (request, fields) =>
    logout(request, fields),
  );
  const logout = createLogout(flows, browser);
  const docs = createDocs(ctx.options, flows.openapi);

  const tokenRequest = tokenRequestSchema(ctx.options.maxPasswordLength);
  const token: Route = async (request, context) => {
    const fields = await readFields(request, maxBodyBytes, true);
    const input = validate(tokenRequest, fields);
    // RFC 6749 §3.3: a scope that can't be granted is refused rather than silently dropped
    // (this server grants none; an access token carries its user's roles).
    if (input.scope !== undefined && input.scope.trim() !== '') {
      throw new AuthError('invalid_scope');
    }
    try {
      if (input.grant_type === 'password') {
        if (input.username === undefined || input.password === undefined) {
          throw new AuthError('invalid_request', {
            description: 'username and password are required',
            status: 400,
          });
        }
        return json(
          200,
          await flows.login({ username: input.username, password: input.password }, context),
        );
      }
      if (input.grant_type === 'refresh_token') {
        if (input.refresh_token === undefined) {
          throw new AuthError('invalid_request', { description: 'refresh_token is required' });
        }
        return json(200, await flows.refresh(input.refresh_token));
      }
    } catch (error) {
      // RFC 6749 §5.2: bad credentials and bad refresh tokens are both invalid_grant, 400.
      if (
        error instanceof AuthError &&
        (error.code === 'invalid_credentials' || error.code === 'invalid_grant')
      ) {
        throw new AuthError('invalid_grant', { status: 400, description: error.message });
      }
      throw error;
    }
    throw new AuthError('unsupported_grant_type');
  };

  const routes: RouteTable = {
    [`${basePath}/register`]: {
      POST: async (request) => json(201, { user: await flows.register(await body(request)) }),
    },
    [`${basePath}/login`]: {
      POST: async (request, context) => json(200, await flows.login(await body(request), context)),
    },
    [`${basePath}/token`]: { POST: token },
    [`${basePath}/refresh`]: {
      POST: async (request) => {
        const fields = await body(request);
        const presented = fields.refresh_token;
        if (typeof presented !== 'string' || presented.length === 0) {
          // Absent (or empty, as RFC 6749 §3.2 counts it) is "required"; another type, "string".
          const message =
            presented === undefined || presented === '' ? 'is required' : 'must be a string';
          throw new AuthError('invalid_request', {
            description: `refresh_token ${message}`,
            issues: [{ path: 'refresh_token', message }],
          });
        }
        return json(200, await flows.refresh(presented));
      },
    },
    [`${basePath}/logout`]: {
      POST: async (request) => logout(request, await body(request)),
    },
    [`${basePath}/me`]: {
      GET: async (request) => {
        if (!browser) {
          const principal = await flows.authenticate(request.headers.get('authorization'));
          return json(200, await flows.me(principal));
        }
        // A cookie session counts like a bearer token (and may be refreshed on the way).
        const auth = await browser.session.authenticate(requestFacts(request));
        return json(200, await flows.me(auth.principal), {}, auth.setCookie);
      },
    },
    [jwksPath]: {
      GET: async () => {
        return json(200, await flows.jwks(), {
          'cache-control': 'public, max-age=300, stale-while-revalidate=60',
          'content-type': 'application/jwk-set+json',
        });
      },
    },
  };

  // Browsers get the pages in place of the JSON routes of the same path and method.
  const htmlRoutes: RouteTable = { ...routes };
  for (const [path, methods] of Object.entries(browser?.htmlRoutes ?? {})) {
    htmlRoutes[path] = { ...routes[path], ...methods };
  }
  // Served to everyone alike: the stylesheet, the home page, the docs.
  const sharedRoutes: RouteTable = { ...browser?.sharedRoutes, ...docs?.routes };

  const pageRequest = (request: Request) =>
    wantsPage(request.headers.get('accept'), request.headers.get('authorization'));

  const lookup = (pathname: string, request: Request | undefined) => {
    if (Object.hasOwn(sharedRoutes, pathname)) return sharedRoutes[pathname];
    if (Object.hasOwn(routes, pathname) || Object.hasOwn(htmlRoutes, pathname)) {
      // A request with a bearer header is an API client's, whatever its `Accept`: no page,
      // no CSRF check.
      const html = browser !== undefined && request !== undefined && pageRequest(request);
      return html || !request ? htmlRoutes[pathname] : routes[pathname];
    }
    return docs?.assetRoute(pathname);
  };

  /** True when `pathname` is one of the routes the handler serves (any method). */
  const handles = (pathname: string): boolean => lookup(pathname, undefined) !== undefined;

  // In browser mode an answer may hang on the `Accept` (page or JSON) and on the session
  // cookies; these are the same for every client, so they carry no `Vary`.
  const fixedPaths = new Set<string>([jwksPath, ...Object.keys(docs?.routes ?? {})]);
  if (browser) fixedPaths.add(browser.settings.stylesheet);
  const negotiates = (pathname: string): boolean =>
    !fixedPaths.has(pathname) &&
    (Object.hasOwn(htmlRoutes, pathname) ||
      Object.hasOwn(sharedRoutes, pathname) ||
      docs?.assetRoute(pathname) === undefined);

  const answer = async (
    request: Request,
    context: HandlerContext,
    pathname: string,
  ): Promise<Response> => {
    try {
      const methods: Partial<Record<string, Route>> | undefined = lookup(pathname, request);
      const route = methods && routeOf(methods, request.method);
      if (!methods || !route) {
        // No route reads this body: read it now, up to the cap, so that a client still
        // uploading gets the answer instead of a broken connection. (A route that ran has
        // read or refused its body itself; touching it again could only read more.)
        await discardBody(request, maxBodyBytes);
        const refused = methods
          ? new AuthError('method_not_allowed', { allow: allowOf(methods) })
          : new AuthError('not_found');
        // A browser gets a page, as on the app's own routes; an API client the JSON error.
        return browser && pageRequest(request)
          ? browser.errorPage(refused)
          : errorResponse(refused, realm);
      }
      return await route(request, context);
    } catch (error) {
      // A refusal is the client's; anything else (a bug, a storage failure) is the operator's
      // to see. The path only: a query string could carry a credential.
      if (!isAuthError(error) || error.status >= 500) {
        ctx.reportError(error, { method: request.method, path: pathname });
      }
      return errorResponse(error, realm);
    }
  };

  const handler = async (request: Request, context: HandlerContext = {}): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const response = await answer(request, context, pathname);
    const answered = browser && negotiates(pathname) ? varying(response) : response;
    return request.method === 'HEAD' ? headAnswer(answered) : answered;
  };

  // Every exact path served (the docs' assets live under the docs page's path).
  const routePaths = Object.freeze([
    ...new Set([...Object.keys(htmlRoutes), ...Object.keys(sharedRoutes)]),
  ]);
  return { handler, handles, browser, routePaths };
}
