/**
 * HTML responses of browser mode: escaping, the page layout, redirects. Pages carry no
 * script and no inline style, and are sent with a strict Content-Security-Policy.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Policy of every page: nothing but this origin's stylesheet, forms posting here. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'";

/** Headers of every page (and of the HTML error answers of the app's own routes). */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
  pragma: 'no-cache',
} as const;

/** A page's parts. */
export interface Page {
  /** `<title>`, and the `<h1>` unless `heading` differs. */
  readonly title: string;
  /** Already-escaped HTML of `<main>`, after the heading. */
  readonly body: string;
  readonly heading?: string;
}

/** The whole document of a page. */
export function layout(page: Page, appName: string, stylesheet: string): string {
  const heading = page.heading ?? page.title;
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="referrer" content="same-origin">\n' +
    `<title>${escapeHtml(page.title)} · ${escapeHtml(appName)}</title>\n` +
    `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">\n</head>\n<body>\n<main>\n` +
    `<h1>${escapeHtml(heading)}</h1>\n${page.body}\n</main>\n</body>\n</html>\n`
  );
}

function withCookies(headers: Headers, setCookie: readonly string[]): Headers {
  for (const cookie of setCookie) headers.append('set-cookie', cookie);
  return headers;
}

/** An HTML response with the page headers (CSP, no-store, nosniff, no framing). */
export function htmlResponse(
  status: number,
  html: string,
  setCookie: readonly string[] = [],
  extra: Record<string, string> = {},
): Response {
  const headers = withCookies(new Headers({ ...PAGE_HEADERS, ...extra }), setCookie);
  return new Response(html, { status, headers });
}

/** A `303 See Other` to a same-site `location`, with the given cookies. */
export function redirect(location: string, setCookie: readonly string[] = []): Response {
  const headers = withCookies(
    new Headers({ location, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }),
    setCookie,
  );
  return new Response(null, { status: 303, headers });
}

/** The stylesheet of the pages: small, readable, visible focus, respects dark mode. */
export const PAGE_CSS = `:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{margin:0;display:flex;justify-content:center;padding:2rem 1rem}
main{width:100%;max-width:24rem}
h1{font-size:1.5rem;margin:0 0 1rem}
form{display:grid;gap:.75rem;margin:0 0 1rem}
label{font-weight:600}
input{font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:4px;background:#1a56db;color:#fff;cursor:pointer}
button:hover{background:#1e429f}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.alert{padding:.75rem;border-radius:4px;border:1px solid #b91c1c;color:#b91c1c;background:#fef2f2}
.hint{font-size:.875rem;color:GrayText;margin:-.5rem 0 0}
@media (prefers-color-scheme:dark){.alert{background:#450a0a;color:#fecaca}}
`;

/** The stylesheet as a response: cacheable for an hour. */
export function stylesheetResponse(): Response {
  return new Response(PAGE_CSS, {
    status: 200,
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  });
}
