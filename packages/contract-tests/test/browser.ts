/**
 * A minimal browser for the browser-mode cases: an `Accept` that prefers HTML, a cookie
 * jar, and HTML forms read well enough to submit them the way a browser would.
 */
import { expect } from 'vitest';
import { type HttpResponse, request } from './http.js';

/** What a browser sends as `Accept` for a page. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** One parsed `Set-Cookie`. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  /** Attribute names lower-cased → value (`''` for flags). */
  readonly attributes: Record<string, string>;
  readonly raw: string;
}

/** Parses the `Set-Cookie` headers of a response. */
export function setCookies(res: HttpResponse): SetCookie[] {
  return res.headers.getSetCookie().map((raw) => {
    const [pair = '', ...attrs] = raw.split(';');
    const eq = pair.indexOf('=');
    const attributes: Record<string, string> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      const key = (i === -1 ? attr : attr.slice(0, i)).trim().toLowerCase();
      attributes[key] = i === -1 ? '' : attr.slice(i + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
  });
}

/** True when a `Set-Cookie` deletes its cookie. */
export function clears(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes['max-age'];
  const expires = cookie.attributes.expires;
  return (
    (maxAge !== undefined && Number(maxAge) <= 0) ||
    (expires !== undefined && Date.parse(expires) <= Date.now()) ||
    cookie.value === ''
  );
}

/** A cookie jar for one origin. */
export class Jar {
  readonly cookies = new Map<string, string>();

  /** Applies the `Set-Cookie` headers of `res`. */
  update(res: HttpResponse): void {
    for (const cookie of setCookies(res)) {
      if (clears(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  /** The `Cookie` header, or `undefined` when empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A copy, to replay old cookies later. */
  clone(): Jar {
    const copy = new Jar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

/** A form of a page. */
export interface Form {
  readonly action: string;
  readonly method: string;
  /** Named inputs with their values (hidden fields included). */
  readonly fields: Record<string, string>;
  /** The `type` of each named input. */
  readonly types: Record<string, string>;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The forms of an HTML page. */
export function forms(html: string): Form[] {
  const out: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    const fields: Record<string, string> = {};
    const types: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<(input|button)\b([^>]*)>/gi)) {
      const a = attributes(input[2]!);
      if (!a.name) continue;
      const type = (
        a.type ?? (input[1]!.toLowerCase() === 'button' ? 'submit' : 'text')
      ).toLowerCase();
      if (type === 'submit') continue;
      fields[a.name] = a.value ?? '';
      types[a.name] = type;
    }
    out.push({
      action: attrs.action ?? '',
      method: (attrs.method ?? 'get').toUpperCase(),
      fields,
      types,
    });
  }
  return out;
}

/** The form with a password input (a login or registration form). */
export function passwordForm(html: string): Form {
  const form = forms(html).find((f) => Object.values(f.types).includes('password'));
  expect(form, `a form with a password field in:\n${html.slice(0, 1500)}`).toBeDefined();
  return form!;
}

/** The form that posts to `path` (e.g. the logout button). */
export function formTo(html: string, path: string): Form | undefined {
  return forms(html).find((f) => new URL(f.action || '/', 'http://x').pathname === path);
}

/** A browser session against one base URL. */
export class Browser {
  readonly jar = new Jar();

  constructor(readonly base: string) {}

  /** Headers of a same-origin navigation or form post. */
  private headers(extra: Record<string, string> = {}, jar: Jar = this.jar): Record<string, string> {
    const cookie = jar.header();
    return { accept: BROWSER_ACCEPT, ...(cookie ? { cookie } : {}), ...extra };
  }

  /** Navigates to `path` (no redirects followed). */
  async get(path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const res = await request(this.base, path, { headers: this.headers(headers) });
    this.jar.update(res);
    return res;
  }

  /** Submits `fields` to `action` as an HTML form would, from this origin. */
  async submit(
    action: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
    jar: Jar = this.jar,
  ): Promise<HttpResponse> {
    const path = action
      ? new URL(action, `${this.base}/`).pathname + new URL(action, `${this.base}/`).search
      : '/';
    const res = await request(this.base, path, {
      form: fields,
      headers: this.headers(
        { origin: this.base, 'sec-fetch-site': 'same-origin', ...headers },
        jar,
      ),
    });
    if (jar === this.jar) this.jar.update(res);
    return res;
  }

  /** Opens `pagePath`, fills its password form with `values`, and submits it. */
  async fill(pagePath: string, values: Record<string, string>): Promise<HttpResponse> {
    const page = await this.get(pagePath);
    expect(page.status, `${page.label} → ${page.status} ${page.text.slice(0, 300)}`).toBe(200);
    const form = passwordForm(page.text);
    const action = form.action || pagePath;
    return this.submit(action, { ...form.fields, ...values });
  }
}

/** The path and query of a `Location` header, resolved against `base`. */
export function location(res: HttpResponse, base: string): URL {
  const value = res.headers.get('location');
  expect(value, `Location of ${res.label} → ${res.status} ${res.text.slice(0, 200)}`).toBeTruthy();
  const url = new URL(value!, `${base}/`);
  expect(url.origin, `Location ${value} stays on this site`).toBe(new URL(base).origin);
  return url;
}

/** An HTML page answer. */
export function expectHtml(res: HttpResponse, status: number): void {
  expect(res.status, `${res.label} → ${res.status} ${res.text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type') ?? '', res.label).toMatch(/^text\/html\b/i);
  expect(res.headers.get('x-content-type-options'), `nosniff on ${res.label}`).toBe('nosniff');
}
