/**
 * Return paths (`next`): honoured only when they are same-site relative paths, so a login
 * link can never send a browser to another site (no open redirect).
 */

/** Longest return path honoured. */
export const MAX_RETURN_PATH = 2048;

const BASE = 'http://return-path.invalid';

/** Controls, spaces, DEL, C1 controls, NBSP and the Unicode line/paragraph separators. */
function hasControlOrSpace(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * Whether `path` starts as a same-site relative path: exactly one leading `/`, no `//` or
 * `/\` (also not percent-encoded), no backslash, no control character or whitespace
 * (browsers drop tabs and newlines from URLs, turning `/\t/evil.com` into `//evil.com`).
 */
function isRelativePath(path: string): boolean {
  if (path[0] !== '/' || path[1] === '/' || path.includes('\\')) return false;
  if (hasControlOrSpace(path)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  return decoded[1] !== '/' && !decoded.includes('\\');
}

/**
 * The return path to redirect to, or `fallback` when `next` is not a same-site relative path:
 * exactly one leading `/`, no `//` or `/\` (also not percent-encoded), no backslash, no
 * control character or whitespace, and nothing that resolves to another origin. The path is
 * normalised (dot segments resolved) and checked again, so `/..//evil.com`, which
 * normalises to `//evil.com`, is refused too.
 * @param next - the untrusted return path (a form field or query parameter)
 * @param fallback - where to go otherwise, e.g. the home path
 * @example
 * ```ts
 * safeReturnPath('/orders?page=2', '/'); // '/orders?page=2'
 * safeReturnPath('//evil.com', '/');     // '/'
 * safeReturnPath('/..//evil.com', '/');  // '/'
 * safeReturnPath('https://evil.com', '/'); // '/'
 * ```
 */
export function safeReturnPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_RETURN_PATH) {
    return fallback;
  }
  if (!isRelativePath(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isRelativePath(url.pathname) ? path : fallback;
}

/**
 * The login page's address with a return path: `{loginPath}?next=<path>` (percent-encoded,
 * except `/`, which a query may hold as is: `/auth/login?next=/orders`), or the bare login
 * path when `returnPath` is not a same-site relative path.
 */
export function loginLocation(loginPath: string, returnPath: string | null | undefined): string {
  const next = safeReturnPath(returnPath, '');
  return next ? `${loginPath}?next=${encodeURIComponent(next).replaceAll('%2F', '/')}` : loginPath;
}
