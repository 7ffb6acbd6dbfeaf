/**
 * The OpenAPI 3.1 document of the auth routes, generated with zod 4's `z.toJSONSchema` from
 * the very schemas that validate the requests (src/schemas.ts), so the two never disagree.
 * Security schemes: `bearerAuth` (HTTP bearer, JWT) and `oauth2Password` (the OAuth 2.0
 * password flow against the token endpoint). Browser mode's cookie session is described in
 * text, not as an `apiKey` scheme: its cookie is `HttpOnly` (and `__Host-`), so a docs page
 * could never set it, and Swagger UI would offer a field that cannot work.
 */
import { z } from 'zod';
import type { ResolvedOptions } from '../../config.js';
import {
  errorBodySchema,
  jwksSchema,
  loginSchema,
  logoutSchema,
  publicUserSchema,
  refreshSchema,
  registeredSchema,
  registerSchema,
  tokenRequestSchema,
  tokenResponseSchema,
} from '../../schemas.js';
import { authPaths, error, stringHeader } from './openapi-paths.js';
import type { OpenApiDocument } from './types.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

/** Builds the document (without the application's `extend`). */
export function buildOpenApi(options: ResolvedOptions): OpenApiDocument {
  const base = options.basePath;
  const browser = options.browser;
  const docs = options.docs || undefined;
  const paths = authPaths(options);

  const securitySchemes: Json = {
    bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    oauth2Password: {
      type: 'oauth2',
      description: 'Username and password at the token endpoint.',
      flows: { password: { tokenUrl: `${base}/token`, refreshUrl: `${base}/token`, scopes: {} } },
    },
  };

  const cookies = browser
    ? 'Browser mode: a browser that signed in on the login page is authenticated by ' +
      'session cookies instead (`HttpOnly`, `SameSite=Lax`); its state-changing requests ' +
      'must come from this origin and carry the CSRF token (`X-CSRF-Token` or `csrf_token`).'
    : undefined;
  const description = [docs?.description, cookies].filter(Boolean).join('\n\n');
  return {
    openapi: '3.1.0',
    info: {
      title: docs?.title ?? 'Auth API',
      version: docs?.version ?? '1.0.0',
      ...(description ? { description } : {}),
    },
    tags: [
      { name: 'auth', description: 'The auth routes (JSON).' },
      ...(browser ? [{ name: 'browser', description: 'Pages of browser mode.' }] : []),
    ],
    paths,
    components: {
      schemas: {
        RegisterRequest: jsonSchema(
          registerSchema(options.minPasswordLength, options.maxPasswordLength),
          'input',
        ),
        LoginRequest: jsonSchema(loginSchema(options.maxPasswordLength), 'input'),
        TokenRequest: jsonSchema(tokenRequestSchema(options.maxPasswordLength), 'input'),
        RefreshRequest: jsonSchema(refreshSchema, 'input'),
        LogoutRequest: jsonSchema(logoutSchema, 'input'),
        User: jsonSchema(publicUserSchema, 'output'),
        Registered: jsonSchema(registeredSchema, 'output'),
        TokenResponse: jsonSchema(tokenResponseSchema, 'output'),
        Error: jsonSchema(errorBodySchema, 'output'),
        JwkSet: jsonSchema(jwksSchema, 'output'),
      },
      responses: {
        InvalidRequest: error('`invalid_request`, with `issues`'),
        Unauthorized: error('No, or an invalid or expired, access token', {
          'WWW-Authenticate': stringHeader('The RFC 6750 challenge.'),
        }),
        RateLimited: error('`rate_limited`: too many failed logins', {
          'Retry-After': { description: 'Seconds.', schema: { type: 'integer' } },
        }),
        PayloadTooLarge: error('`payload_too_large`: the body exceeds the limit'),
        UnsupportedMediaType: error('`unsupported_media_type`'),
      },
      securitySchemes,
    },
  };
}
