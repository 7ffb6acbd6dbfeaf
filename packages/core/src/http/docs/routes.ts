/**
 * `GET {openapiPath}` (the OpenAPI document), `GET {docsPath}` (the docs page),
 * `GET {docsPath}/init.js` and `GET {docsPath}/<file>` (Swagger UI's files, from the
 * configured asset provider).
 */
import type { ResolvedDocsOptions, ResolvedOptions } from '../../config.js';
import { AuthError } from '../../errors.js';
import { buildOpenApi } from './openapi.js';
import { DOCS_CSP, docsHtml, docsInitScript, INIT_SCRIPT } from './page.js';
import type { OpenApiDocument } from './types.js';

type Route = (request: Request) => Promise<Response>;

/** A bare file name: no path, no leading dot. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Default `Cache-Control` of an asset whose provider sets none. */
const ASSET_CACHE = 'public, max-age=86400';

/** The OpenAPI document of an instance: built once, then extended by the app. */
export function openApiDocument(options: ResolvedOptions): () => OpenApiDocument {
  let document: OpenApiDocument | undefined;
  return () => {
    if (!document) {
      const built = buildOpenApi(options);
      const extend = options.docs ? options.docs.extend : undefined;
      document = extend ? extend(structuredClone(built)) : built;
    }
    return structuredClone(document);
  };
}

function etagMatches(ifNoneMatch: string | null, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(etag));
}

/**
 * The headers of the docs page, which an HTML asset (Swagger UI's `oauth2-redirect.html`) gets
 * too, where its provider set none: a page that runs script on this origin is never framed
 * and runs only this origin's scripts.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DOCS_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** Serves one asset through the provider, with nosniff, caching and `If-None-Match`. */
async function serveAsset(docs: ResolvedDocsOptions, name: string, request: Request) {
  const found = docs.assets && FILE_NAME.test(name) ? await docs.assets(name) : undefined;
  if (!found) throw new AuthError('not_found');
  const headers = new Headers(found.headers);
  headers.set('x-content-type-options', 'nosniff');
  if (/^\s*text\/html\b/i.test(headers.get('content-type') ?? '')) {
    for (const [header, value] of Object.entries(PAGE_HEADERS)) {
      if (!headers.has(header)) headers.set(header, value);
    }
  }
  if (!headers.has('cache-control')) headers.set('cache-control', ASSET_CACHE);
  if (etagMatches(request.headers.get('if-none-match'), headers.get('etag'))) {
    await found.body?.cancel().catch(() => {});
    for (const h of ['content-length', 'content-type']) headers.delete(h);
    return new Response(null, { status: 304, headers });
  }
  return new Response(found.body, { status: found.status, headers });
}

/** The docs routes of an instance, or `undefined` when docs are off. */
export function createDocs(options: ResolvedOptions, document: () => OpenApiDocument) {
  const docs = options.docs;
  if (!docs) return undefined;
  const prefix = `${docs.path}/`;
  let documentJson: string | undefined;
  const page = docsHtml(docs.title, docs.path, docs.assets !== undefined);
  const init = docsInitScript(docs.openapiPath, docs.path);

  const routes: Record<string, { GET: Route }> = {
    [docs.openapiPath]: {
      GET: async () => {
        documentJson ??= JSON.stringify(document());
        return new Response(documentJson, {
          status: 200,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          },
        });
      },
    },
    [docs.path]: {
      GET: async () =>
        new Response(page, {
          status: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            ...PAGE_HEADERS,
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          },
        }),
    },
    [`${prefix}${INIT_SCRIPT}`]: {
      GET: async () =>
        new Response(init, {
          status: 200,
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'x-content-type-options': 'nosniff',
            'cache-control': 'no-cache',
          },
        }),
    },
  };

  /** The route of a path under `{docsPath}/` (an asset), if it is one. */
  const assetRoute = (pathname: string): { GET: Route } | undefined => {
    if (!pathname.startsWith(prefix)) return undefined;
    const name = pathname.slice(prefix.length);
    if (!FILE_NAME.test(name)) return undefined;
    return { GET: (request) => serveAsset(docs, name, request) };
  };

  return { routes, assetRoute };
}
