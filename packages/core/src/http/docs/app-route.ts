/** Describing an application's own JSON routes in the OpenAPI document (`docs.extend`). */
import { error, stringHeader } from './openapi-paths.js';

/** How an app route is described. */
export interface AppRouteDoc {
  /** One line shown in the docs. */
  summary: string;
  /** An example of the JSON answer. */
  example: object;
  /** Needs a bearer token or session (adds both security schemes and the 401 answer). */
  secured?: boolean;
  /** Why a signed-in user may still get 403 `insufficient_scope`, e.g. `'not an admin'`. */
  forbidden?: string;
  /** Grouping tag. Default `app`. */
  tag?: string;
}

/** The JSON Schema of a JSON value's shape: its types, and every key of an object required. */
function schemaOf(value: unknown): Record<string, unknown> {
  if (value === null) return { type: 'null' };
  if (Array.isArray(value))
    return { type: 'array', ...(value.length ? { items: schemaOf(value[0]) } : {}) };
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return {
      type: 'object',
      properties: Object.fromEntries(entries.map(([key, v]) => [key, schemaOf(v)])),
      required: entries.map(([key]) => key),
    };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  return { type: 'string' };
}

/**
 * The OpenAPI path item of a `GET` route answering JSON, in the style of the auth routes.
 * @example
 * ```ts
 * docs: { extend: (doc) => {
 *   doc.paths['/admin'] = appRoute({ summary: 'Admins only', example: { ok: true }, secured: true, forbidden: 'not an admin' });
 *   return doc;
 * } }
 * ```
 */
export function appRoute(route: AppRouteDoc): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    200: {
      description: 'OK',
      content: { 'application/json': { schema: schemaOf(route.example), example: route.example } },
    },
  };
  if (route.secured) responses[401] = { $ref: '#/components/responses/Unauthorized' };
  if (route.forbidden)
    responses[403] = error(`\`insufficient_scope\`: ${route.forbidden}`, {
      'WWW-Authenticate': stringHeader('`Bearer error="insufficient_scope"`'),
    });
  return {
    get: {
      tags: [route.tag ?? 'app'],
      summary: route.summary,
      ...(route.secured ? { security: [{ bearerAuth: [] }, { oauth2Password: [] }] } : {}),
      responses,
    },
  };
}
