/**
 * The `paths` of the OpenAPI document: one operation per route of docs/API.md, its bodies
 * (JSON and form) and answers referring to the components built in `openapi.ts`.
 */
import type { ResolvedOptions } from '../../config.js';

type Json = Record<string, unknown>;

/** A reference to a component schema. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const jsonOrForm = (name: string) => ({
  required: true,
  content: {
    'application/json': { schema: ref(name) },
    'application/x-www-form-urlencoded': { schema: ref(name) },
  },
});
export const error = (description: string, headers?: Json) => ({
  description,
  content: jsonContent('Error'),
  ...(headers ? { headers } : {}),
});
export const stringHeader = (description: string) => ({ description, schema: { type: 'string' } });
const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});
const seeOther = (description: string) => ({
  description,
  headers: { Location: stringHeader('Where to go next.') },
});

/** Browser mode: a form post without same-origin proof or the form's CSRF token. */
const formRefused = html(
  "Browser form post (`Accept` prefers HTML, no bearer header) without same-origin proof or the form's CSRF token: an HTML page.",
);

const tokens = {
  description: 'The token response (RFC 6749 §5.1), sent with `Cache-Control: no-store`.',
  content: jsonContent('TokenResponse'),
};
const common = {
  '413': responseRef('PayloadTooLarge'),
  '415': responseRef('UnsupportedMediaType'),
};

/** The operations of the auth routes (and of browser mode's pages when it is on). */
export function authPaths(options: ResolvedOptions): Record<string, Record<string, unknown>> {
  const base = options.basePath;
  const browser = options.browser;
  const bearer: Json[] = [{ bearerAuth: [] }, { oauth2Password: [] }];
  const tags = ['auth'];

  const paths: Record<string, Record<string, unknown>> = {
    [`${base}/register`]: {
      post: {
        tags,
        operationId: 'register',
        summary: 'Register a user',
        description: 'Other fields are ignored: a client cannot give itself roles.',
        requestBody: jsonOrForm('RegisterRequest'),
        responses: {
          '201': { description: 'The new user.', content: jsonContent('Registered') },
          ...(browser
            ? { '303': seeOther('Browser: registered and signed in, sent to the return path.') }
            : {}),
          '400': responseRef('InvalidRequest'),
          ...(browser ? { '403': formRefused } : {}),
          '409': error('`username_taken`'),
          ...common,
        },
      },
    },
    [`${base}/login`]: {
      post: {
        tags,
        operationId: 'login',
        summary: 'Log in with username and password',
        description:
          'Wrong password and unknown user get the very same answer.' +
          (browser ? ' A browser form post (`Accept` prefers HTML) gets `303` and cookies.' : ''),
        requestBody: jsonOrForm('LoginRequest'),
        responses: {
          '200': tokens,
          ...(browser ? { '303': seeOther('Browser: logged in, sent to the return path.') } : {}),
          '400': responseRef('InvalidRequest'),
          '401': error('`invalid_credentials`', {
            'WWW-Authenticate': stringHeader('`Bearer`'),
          }),
          ...(browser ? { '403': formRefused } : {}),
          '429': responseRef('RateLimited'),
          ...common,
        },
      },
    },
    [`${base}/token`]: {
      post: {
        tags,
        operationId: 'token',
        summary: 'OAuth 2.0 token endpoint (password and refresh_token grants)',
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') } },
        },
        responses: {
          '200': tokens,
          '400': error(
            '`invalid_request`, `invalid_grant`, `unsupported_grant_type` or `invalid_scope` (RFC 6749 §5.2)',
          ),
          '429': responseRef('RateLimited'),
          ...common,
        },
      },
    },
    [`${base}/refresh`]: {
      post: {
        tags,
        operationId: 'refresh',
        summary: 'Rotate a refresh token',
        description:
          'The presented token is spent; reusing it after the grace window revokes its family.',
        requestBody: jsonOrForm('RefreshRequest'),
        responses: {
          '200': tokens,
          '400': responseRef('InvalidRequest'),
          '401': error('`invalid_grant`'),
          ...common,
        },
      },
    },
    [`${base}/logout`]: {
      post: {
        tags,
        operationId: 'logout',
        summary: 'Revoke a session, or (with a bearer token and `all`) every session',
        security: [{}, ...bearer],
        requestBody: { required: false, content: jsonOrForm('LogoutRequest').content },
        responses: {
          '204': { description: 'Always, also for an unknown token.' },
          ...(browser
            ? { '303': seeOther('Browser: cookies cleared, sent to the login page.') }
            : {}),
          ...(browser
            ? {
                '403': error(
                  '`forbidden`: a cookie session without same-origin proof or CSRF token',
                ),
              }
            : {}),
          ...common,
        },
      },
    },
    [`${base}/me`]: {
      get: {
        tags,
        operationId: 'me',
        summary: 'The current user',
        security: bearer,
        responses: {
          '200': { description: 'The user, read from storage.', content: jsonContent('User') },
          '401': responseRef('Unauthorized'),
        },
      },
    },
    [options.jwksPath]: {
      get: {
        tags,
        operationId: 'jwks',
        summary: 'The public signing keys (JWK Set; empty for HS256)',
        responses: {
          '200': {
            description: 'RFC 7517 JWK Set.',
            content: { 'application/jwk-set+json': { schema: ref('JwkSet') } },
          },
        },
      },
    },
  };

  if (browser) {
    const page = (operationId: string, summary: string) => ({
      tags: ['browser'],
      operationId,
      summary,
      responses: {
        '200': html('The page.'),
        '303': seeOther('Already logged in: sent home.'),
      },
    });
    paths[`${base}/login`]!.get = page('loginPage', 'The login page (HTML)');
    paths[`${base}/register`]!.get = page('registerPage', 'The registration page (HTML)');
    if (browser.homePage) {
      paths[browser.homePath] = {
        get: {
          tags: ['browser'],
          operationId: 'home',
          summary: 'Home page: greets the logged-in user',
          security: bearer,
          responses: {
            '200': {
              description: 'HTML for browsers; `{"user"}` for API clients.',
              content: {
                'text/html': { schema: { type: 'string' } },
                'application/json': {
                  schema: { type: 'object', properties: { user: ref('User') }, required: ['user'] },
                },
              },
            },
            '303': seeOther('Browser without a session: sent to the login page.'),
            '401': responseRef('Unauthorized'),
          },
        },
      };
    }
  }
  return paths;
}
