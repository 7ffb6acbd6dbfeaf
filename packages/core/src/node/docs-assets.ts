/**
 * `@auth/core/docs-assets` (Node): serves Swagger UI's files from the installed
 * `swagger-ui-dist` package, so the docs page works offline and loads nothing from a CDN.
 * Kept out of the default entry, which imports no `node:` module.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AssetProvider } from '../http/docs/types.js';

export type { AssetProvider } from '../http/docs/types.js';

/** The files the docs page needs, and their media types. Nothing else is served. */
export const SWAGGER_UI_FILES: Readonly<Record<string, string>> = Object.freeze({
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
});

/** Options of {@link swaggerUiAssets}. */
export interface SwaggerUiAssetsOptions {
  /** The `swagger-ui-dist` directory. Default: resolved from the installed package. */
  directory?: string;
  /** `Cache-Control: max-age` of the files, seconds. Default 86400 (one day). */
  maxAge?: number;
}

function locate(): { directory: string; version: string } {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('swagger-ui-dist/package.json');
  } catch (cause) {
    throw new Error(
      'swaggerUiAssets() needs the swagger-ui-dist package: install it next to @auth/core ' +
        '(npm install swagger-ui-dist)',
      { cause },
    );
  }
  const { version } = require(manifest) as { version: string };
  return { directory: dirname(manifest), version };
}

/**
 * An {@link AssetProvider} for the `docs.assets` option of `createAuth`: Swagger UI's files
 * from `swagger-ui-dist`, each read once and kept in memory, with its content type, a
 * `Cache-Control` and an `ETag` naming the package version.
 * @throws Error at once when `swagger-ui-dist` is not installed
 * @example
 * ```ts
 * import { swaggerUiAssets } from '@auth/core/docs-assets';
 * const auth = createAuth({ ...options, docs: { assets: swaggerUiAssets() } });
 * ```
 */
export function swaggerUiAssets(options: SwaggerUiAssetsOptions = {}): AssetProvider {
  const found = options.directory ? { directory: options.directory, version: 'local' } : locate();
  const maxAge = options.maxAge ?? 86_400;
  const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  return async (name) => {
    const type = Object.hasOwn(SWAGGER_UI_FILES, name) ? SWAGGER_UI_FILES[name] : undefined;
    if (!type) return undefined;
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = readFile(join(found.directory, name)).then(
        (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>,
      );
      bytes.catch(() => cache.delete(name));
      cache.set(name, bytes);
    }
    const body = await bytes;
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': type,
        'content-length': String(body.byteLength),
        'cache-control': `public, max-age=${maxAge}`,
        etag: `"swagger-ui-dist@${found.version}/${name}"`,
      },
    });
  };
}
