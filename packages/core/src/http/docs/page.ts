/**
 * The interactive docs page: Swagger UI from same-origin files (never a CDN), started by a
 * separate same-origin script (no inline script), so a strict CSP holds.
 */
import { escapeHtml as e } from '../browser/html.js';

/** The name under `{docsPath}/` of the script that starts Swagger UI. */
export const INIT_SCRIPT = 'init.js';

/**
 * Policy of the docs page: only this origin (Swagger UI's stylesheet draws its icons as
 * `data:` SVGs, hence `img-src data:`). Checked in Chromium: no violation, Authorize and
 * "Try it out" work.
 */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'self'";

/** The docs page. `docsPath` is where its files are served (`{docsPath}/swagger-ui.css`, …). */
export function docsHtml(title: string, docsPath: string, hasAssets: boolean): string {
  const file = (name: string) => e(`${docsPath}/${name}`);
  const body = hasAssets
    ? '<div id="swagger-ui"></div>\n' +
      `<script src="${file('swagger-ui-bundle.js')}"></script>\n` +
      `<script src="${file(INIT_SCRIPT)}"></script>\n`
    : '<main><h1>Documentation assets are not configured</h1>\n' +
      '<p>Pass <code>docs.assets</code> to <code>createAuth</code>, e.g. ' +
      '<code>swaggerUiAssets()</code> from <code>@auth/core/docs-assets</code>.</p></main>\n';
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${e(title)}</title>\n` +
    (hasAssets
      ? `<link rel="stylesheet" href="${file('swagger-ui.css')}">\n` +
        `<link rel="icon" type="image/png" sizes="32x32" href="${file('favicon-32x32.png')}">\n`
      : '') +
    `</head>\n<body>\n${body}</body>\n</html>\n`
  );
}

/**
 * The script that starts Swagger UI: the document's URL, the OAuth2 password flow posting to
 * the token endpoint named in the document, no call to the public validator
 * (`validatorUrl: null`). "Authorize" lasts as long as the page: `persistAuthorization` would
 * keep Swagger UI's whole OAuth2 state in `localStorage`, the password in clear and a
 * refresh token beside it, for any later user of the browser or script of the origin to read.
 */
export function docsInitScript(openapiPath: string, docsPath: string): string {
  const config = {
    url: openapiPath,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    displayRequestDuration: true,
    validatorUrl: null,
    layout: 'BaseLayout',
  };
  // JSON.stringify of plain strings is a valid JS literal; `<` is escaped all the same.
  const literal = JSON.stringify(config).replace(/</g, '\\u003c');
  const redirect = JSON.stringify(`${docsPath}/oauth2-redirect.html`).replace(/</g, '\\u003c');
  return `'use strict';
window.addEventListener('load', function () {
  var config = ${literal};
  config.presets = [SwaggerUIBundle.presets.apis];
  config.oauth2RedirectUrl = window.location.origin + ${redirect};
  window.ui = SwaggerUIBundle(config);
});
`;
}
