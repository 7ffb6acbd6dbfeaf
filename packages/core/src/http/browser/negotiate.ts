/**
 * Content negotiation between a browser and an API client (RFC 9110 §12.5.1). A request is a
 * browser's when its `Accept` names `text/html` (or `text/*`) with a higher quality than the
 * best match for `application/json`; `application/json`, `*\/*`, a tie or no `Accept` at all is
 * an API client, which gets the JSON contract unchanged.
 */
import { isBearerScheme } from '../bearer.js';

/** `Accept` values longer than this are read only up to here. */
const MAX_ACCEPT = 2048;
/** Media ranges read from one `Accept`. */
const MAX_RANGES = 32;

interface Range {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseQ(params: string[]): number {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
    const value = param.slice(eq + 1).trim();
    // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return 0;
    return Number(value);
  }
  return 1;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  for (const part of header.slice(0, MAX_ACCEPT).split(',', MAX_RANGES)) {
    const [range = '', ...params] = part.split(';');
    const slash = range.indexOf('/');
    if (slash === -1) continue;
    const type = range.slice(0, slash).trim().toLowerCase();
    const subtype = range
      .slice(slash + 1)
      .trim()
      .toLowerCase();
    if (!type || !subtype) continue;
    ranges.push({ type, subtype, q: parseQ(params) });
  }
  return ranges;
}

/** The quality of `type/subtype` by its most specific matching range; 0 when none matches. */
function quality(ranges: readonly Range[], type: string, subtype: string): number {
  let best = -1;
  let q = 0;
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 2
        : r.type === type && r.subtype === '*'
          ? 1
          : r.type === '*' && r.subtype === '*'
            ? 0
            : -1;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    }
  }
  return q;
}

/**
 * True when an `Accept` header prefers HTML over JSON: `text/html` is named (directly or as
 * `text/*`, not only through `*\/*`) with a quality above JSON's.
 * @param accept - the `Accept` header value
 * @example
 * ```ts
 * prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*\/*;q=0.8'); // true
 * prefersHtml('application/json'); // false
 * prefersHtml('*\/*'); // false
 * prefersHtml(undefined); // false
 * ```
 */
export function prefersHtml(accept: string | null | undefined): boolean {
  // Fast exit for the common API client: no `text/` at all.
  if (typeof accept !== 'string' || !accept.toLowerCase().includes('text/')) return false;
  const ranges = parseAccept(accept);
  const named = ranges.some(
    (r) => r.type === 'text' && (r.subtype === 'html' || r.subtype === '*'),
  );
  if (!named) return false;
  const html = quality(ranges, 'text', 'html');
  return html > 0 && html > quality(ranges, 'application', 'json');
}

/**
 * True when a request is a browser's, to be answered with pages, redirects and HTML errors:
 * its `Accept` prefers HTML and it carries no bearer `Authorization` header. A request with
 * one is an API client's whatever its `Accept` (docs/API.md: "Requests with a bearer header
 * are not affected"), and a refused one gets RFC 6750's `401`/`403` with the challenge.
 */
export function wantsPage(
  accept: string | null | undefined,
  authorization: string | null | undefined,
): boolean {
  return prefersHtml(accept) && !isBearerScheme(authorization);
}
