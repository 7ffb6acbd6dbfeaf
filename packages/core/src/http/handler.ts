/**
 * The Fetch-standard handler of the auth routes of shared/API.md:
 * `POST {base}/register|login|token|refresh|logout`, `GET {base}/me` and the JWKS route.
 */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import type { PublicUser } from '../flows/public-user.js';
import { tokenRequestSchema } from '../schemas.js';
import type { Principal } from '../tokens/principal.js';
import { validate } from '../validate.js';
import { type BodyFields, readFields } from './body.js';
import { empty, errorResponse, json } from './respond.js';

/** Per-request facts an adapter knows and a `Request` does not carry. */
export interface HandlerContext {
  /** The client's address (the socket's, or a trusted proxy's forwarded one). */
  clientAddress?: string | undefined;
}

/** The flows the handler calls. */
export interface HandlerFlows {
  register(input: unknown): Promise<PublicUser>;
  login(input: unknown, from: HandlerContext): Promise<object>;
  refresh(token: string): Promise<object>;
  logout(token: string): Promise<void>;
  logoutAll(userId: string): Promise<number>;
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  authenticate(header: string | null | undefined): Promise<Principal>;
  me(principal: Principal): Promise<PublicUser>;
  jwks(): Promise<{ keys: object[] }>;
}

type Route = (request: Request, context: HandlerContext) => Promise<Response>;

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function field(fields: BodyFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the routes table and the handler. */
export function createHandler(ctx: AuthContext, flows: HandlerFlows) {
  const { basePath, jwksPath, maxBodyBytes, realm } = ctx.options;
  const body = (request: Request) => readFields(request, maxBodyBytes);

  const token: Route = async (request, context) => {
    const fields = await body(request);
    const input = validate(tokenRequestSchema, fields);
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

  const routes: Record<string, Partial<Record<string, Route>>> = {
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
          throw new AuthError('invalid_request', {
            description: 'refresh_token is required',
            issues: [{ path: 'refresh_token', message: 'is required' }],
          });
        }
        return json(200, await flows.refresh(presented));
      },
    },
    [`${basePath}/logout`]: {
      POST: async (request) => {
        const fields = await body(request);
        const header = request.headers.get('authorization');
        const refreshToken = field(fields, 'refresh_token');
        if (isTrue(fields.all)) {
          const principal = await flows.authenticate(header);
          await flows.logoutAll(principal.userId);
        } else if (refreshToken !== undefined) {
          await flows.logout(refreshToken);
        } else if (header) {
          const principal = await flows.authenticate(header).catch(() => undefined);
          if (principal?.sessionId)
            await flows.revokeSession(principal.userId, principal.sessionId);
        }
        return empty(204);
      },
    },
    [`${basePath}/me`]: {
      GET: async (request) => {
        const principal = await flows.authenticate(request.headers.get('authorization'));
        return json(200, await flows.me(principal));
      },
    },
    [jwksPath]: {
      GET: async () => {
        const response = json(200, await flows.jwks(), {
          'cache-control': 'public, max-age=300, stale-while-revalidate=60',
          'content-type': 'application/jwk-set+json',
        });
        response.headers.delete('pragma');
        return response;
      },
    },
  };

  /** True when `pathname` is one of the auth routes (any method). */
  const handles = (pathname: string): boolean => Object.hasOwn(routes, pathname);

  const handler = async (request: Request, context: HandlerContext = {}): Promise<Response> => {
    try {
      const { pathname } = new URL(request.url);
      const methods = routes[pathname];
      if (!Object.hasOwn(routes, pathname) || !methods) throw new AuthError('not_found');
      const route = methods[request.method];
      if (!route) {
        const response = errorResponse(new AuthError('method_not_allowed'), realm);
        response.headers.set('allow', Object.keys(methods).join(', '));
        return response;
      }
      return await route(request, context);
    } catch (error) {
      return errorResponse(error, realm);
    }
  };

  return { handler, handles };
}
