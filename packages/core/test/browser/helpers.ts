import type { AuthOptions } from '../../src/config.js';
import { type Harness, harness } from '../helpers.js';

export const ORIGIN = 'https://app.test';
/** What Chromium and Firefox send on a navigation or a form post. */
export const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
export const PASSWORD = 'correct horse battery';

/** A harness with browser mode on (secure cookies, home page served). */
export function browserHarness(overrides: Partial<AuthOptions> = {}): Harness {
  return harness({ browser: { homePage: true }, ...overrides });
}

/** A cookie jar that applies `Set-Cookie` values as a browser would (Max-Age=0 deletes). */
export class Jar {
  readonly cookies = new Map<string, string>();

  apply(response: Response): this {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/;\s*Max-Age=0(;|$)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Parses one `Set-Cookie` into its name, value and attributes (lower-cased names). */
export function parseSetCookie(line: string) {
  const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    if (i === -1) attributes[attr.toLowerCase()] = true;
    else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/** A browser navigation (`GET` with an HTML `Accept`). */
export function visit(path: string, jar?: Jar, headers: Record<string, string> = {}): Request {
  return new Request(ORIGIN + path, {
    headers: {
      accept: HTML_ACCEPT,
      'sec-fetch-site': 'same-origin',
      ...(jar ? { cookie: jar.header() } : {}),
      ...headers,
    },
  });
}

/** A same-origin browser form post; `headers` may override Origin/Sec-Fetch-Site. */
export function submit(
  path: string,
  fields: Record<string, string>,
  jar?: Jar,
  headers: Record<string, string> = {},
): Request {
  return new Request(ORIGIN + path, {
    method: 'POST',
    headers: {
      accept: HTML_ACCEPT,
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      ...(jar ? { cookie: jar.header() } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The value of a hidden field in a page. */
export function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** Registers `alice` and signs her in through the login page; resolves the browser's jar. */
export async function browserLogin(
  h: Harness,
  { username = 'alice', next }: { username?: string; next?: string } = {},
) {
  await h.auth.register({ username, password: PASSWORD }).catch(() => {});
  const jar = new Jar();
  const page = await h.auth.handler(visit(`/auth/login${next ? `?next=${next}` : ''}`, jar));
  jar.apply(page);
  const html = await page.text();
  const csrf = hiddenField(html, 'csrf_token')!;
  const response = await h.auth.handler(
    submit(
      '/auth/login',
      { username, password: PASSWORD, csrf_token: csrf, next: hiddenField(html, 'next') ?? '' },
      jar,
    ),
    { clientAddress: '198.51.100.7' },
  );
  jar.apply(response);
  return { jar, response };
}
