/** Types of the docs option: the asset provider and the OpenAPI document. */

/**
 * Serves the files of the interactive docs page (Swagger UI's `swagger-ui.css`,
 * `swagger-ui-bundle.js`, `favicon-32x32.png`, …) by file name. Resolves `undefined` for a
 * name it does not serve. The response should carry the file's `Content-Type`; it may carry
 * `Cache-Control` (default `public, max-age=86400`) and an `ETag` (then `If-None-Match`
 * answers `304`). On Node, `swaggerUiAssets()` from `@auth/core/docs-assets` reads them from
 * the `swagger-ui-dist` package; other runtimes plug in their own (a KV store, bundled files).
 * @param name - a bare file name (letters, digits, `.`, `_`, `-`; never a path)
 */
export type AssetProvider = (name: string) => Promise<Response | undefined> | Response | undefined;

/** An OpenAPI 3.1 document, as plain JSON. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
