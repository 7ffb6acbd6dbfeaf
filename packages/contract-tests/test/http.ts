/**
 * HTTP helpers: requests with `fetch` (and raw `node:http` where fetch can't: chunked
 * uploads the server cuts short, a chosen local address) plus the assertions every
 * response of the contract shares.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { ADMIN, SECRET } from './harness.js';

/** A response, read completely. */
export interface HttpResponse {
  /** `METHOD /path`, for failure messages. */
  readonly label: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or `undefined` when the body is not JSON. */
  readonly body: unknown;
}

/** What to send. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as `application/json` (JSON.stringify). */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  /** Sent as is (set the content type in `headers`). */
  body?: string | Uint8Array<ArrayBuffer>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends one request with `fetch` and reads the whole answer. */
export async function request(
  base: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    label: `${method} ${path}`,
    status: response.status,
    headers: response.headers,
    text,
    body: parse(text),
  };
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  method?: string;
  /** A header given as an array is sent as that many header lines. */
  headers?: Record<string, string | string[]>;
  /** Written one after the other; without a content-length this is a chunked upload. */
  chunks?: Uint8Array[];
  /** Local address to connect from (e.g. `127.0.0.2`, another loopback client). */
  localAddress?: string;
  /** The request line's target as sent, in place of `path` (e.g. absolute-form). */
  target?: string;
}

/**
 * Sends one request with `node:http` on a fresh connection. The answer counts even when the
 * server stops reading the upload early.
 */
export function rawRequest(
  base: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<HttpResponse> {
  const method = options.method ?? 'POST';
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        headers: options.headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.target ? { path: options.target } : {}),
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
          }
          resolve({
            label: `${method} ${path}`,
            status: res.statusCode ?? 0,
            headers,
            text,
            body: parse(text),
          });
        });
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunks = options.chunks ?? [];
    const writeNext = (i: number): void => {
      if (i >= chunks.length || req.destroyed) {
        req.end();
        return;
      }
      req.write(chunks[i], () => writeNext(i + 1));
    };
    writeNext(0);
  });
}

/** Resolves whether anything accepts a TCP connection at `base` (a fresh connection). */
export function answers(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest(`${base}/ping`, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** `Cache-Control` directives, lower-cased. */
export function cacheDirectives(res: HttpResponse): string[] {
  return (res.headers.get('cache-control') ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
}

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  readonly scheme: string;
  readonly params: Record<string, string>;
  readonly raw: string;
}

/** Parses a single `WWW-Authenticate: <scheme> a="b", c="d"` challenge. */
export function challenge(res: HttpResponse): Challenge | undefined {
  const raw = res.headers.get('www-authenticate');
  if (raw === null) return undefined;
  const space = raw.indexOf(' ');
  const scheme = space === -1 ? raw : raw.slice(0, space);
  const params: Record<string, string> = {};
  const rest = space === -1 ? '' : raw.slice(space + 1);
  for (const m of rest.matchAll(/([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[m[1]!] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params, raw };
}

function context(res: HttpResponse): string {
  return `${res.label} → ${res.status} ${res.text.slice(0, 500)}`;
}

/** Every response carries `X-Content-Type-Options: nosniff`. */
export function expectNosniff(res: HttpResponse): void {
  expect(res.headers.get('x-content-type-options'), `nosniff on ${context(res)}`).toBe('nosniff');
}

/** A JSON response with the given status. */
export function expectJson(res: HttpResponse, status: number): void {
  expect(res.status, context(res)).toBe(status);
  expect(res.headers.get('content-type') ?? '', context(res)).toMatch(
    /^application\/(?:[\w.-]+\+)?json\b/i,
  );
  expect(res.body, `JSON body of ${context(res)}`).toBeTypeOf('object');
  expectNosniff(res);
}

const STACK = /\n\s+at\s|\bat\s\S+\s\(|node_modules|\.[cm]?[jt]s:\d+|\$argon2|\$scrypt/;

/** No stack trace, secret or password hash in a body or log. */
export function expectNoLeak(text: string, what = 'body'): void {
  expect(text, `${what} leaks a stack trace or hash`).not.toMatch(STACK);
  expect(text.includes(SECRET), `${what} leaks AUTH_SECRET`).toBe(false);
  expect(text.includes(ADMIN.password), `${what} leaks the admin password`).toBe(false);
}

/**
 * An error answer: the status, a JSON body `{"error", "error_description"}` (plus `issues`
 * for `invalid_request`), nosniff, and nothing leaked.
 */
export function expectError(res: HttpResponse, status: number, code?: string): void {
  expectJson(res, status);
  const body = res.body as Record<string, unknown>;
  expect(body.error, `error code of ${context(res)}`).toBeTypeOf('string');
  if (code !== undefined) expect(body.error, context(res)).toBe(code);
  expect(body.error_description, `error_description of ${context(res)}`).toBeTypeOf('string');
  expect((body.error_description as string).length, context(res)).toBeGreaterThan(0);
  const extra = Object.keys(body).filter(
    (k) => !['error', 'error_description', 'issues'].includes(k),
  );
  expect(extra, `unexpected keys in ${context(res)}`).toEqual([]);
  expectNoLeak(res.text, context(res));
}

/** A 401 with the plain `Bearer realm="…"` challenge and no error code (no credentials). */
export function expectNoCredentials(res: HttpResponse): void {
  expectError(res, 401);
  const c = challenge(res);
  expect(c?.raw, `WWW-Authenticate of ${context(res)}`).toMatch(/^Bearer realm="[^"]*"$/);
  expect(c?.params.error, context(res)).toBeUndefined();
}

/** A 401 with `WWW-Authenticate: Bearer error="invalid_token", error_description="…"`. */
export function expectInvalidToken(res: HttpResponse, description?: string): void {
  expectError(res, 401);
  const c = challenge(res);
  expect(c?.scheme, `WWW-Authenticate of ${context(res)}`).toBe('Bearer');
  expect(c?.params.error, `WWW-Authenticate of ${context(res)}`).toBe('invalid_token');
  expect(c?.params.error_description, `WWW-Authenticate of ${context(res)}`).toBeTypeOf('string');
  // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash).
  expect(c?.raw, `WWW-Authenticate of ${context(res)}`).toMatch(
    /error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*"/,
  );
  // The body names the same RFC 6750 code as the challenge (an expired token too).
  expect((res.body as { error?: unknown } | undefined)?.error, context(res)).toBe('invalid_token');
  if (description !== undefined) {
    expect(c?.params.error_description, `WWW-Authenticate of ${context(res)}`).toBe(description);
  }
}

/** An answer read off a raw connection: status, lower-cased headers, body text. */
export interface WireAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Writes `bytes` as is on a fresh connection and reads until the server closes it (or
 * `waitMs` passes): for requests no HTTP client would send.
 */
export function sendRaw(base: string, bytes: string, waitMs = 5000): Promise<WireAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      const headers = new Headers();
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve({
        status: Number(head.slice(9, 12)),
        headers,
        text: end < 0 ? '' : text.slice(end + 4),
      });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', (error) => (chunks.length > 0 ? done() : reject(error)));
    socket.write(bytes, 'latin1');
  });
}
