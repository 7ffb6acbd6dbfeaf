/** Express request → Fetch `Request`, streaming the body so the core's size cap holds. */
import type { IncomingMessage } from 'node:http';
import { authorizationHeader, fetchRequest, requestTarget } from '@auth/core';
import type { Request as ExpressRequest } from 'express';

/**
 * The absolute URL of a request: the path and query of `originalUrl`, with the protocol and host
 * as Express sees them. The path is parsed on its own, so no `Host` header can change it. An
 * absolute-form target (RFC 9112 §3.2.2) gives its own path and host.
 */
export function requestUrl(req: ExpressRequest): URL | undefined {
  const target = requestTarget(req.originalUrl);
  if (!target) return undefined;
  const raw = `http://localhost${target.path}`;
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  url.protocol = req.protocol;
  const host = target.host ?? req.host;
  if (host) url.host = host;
  return url;
}

/**
 * Builds the Fetch `Request` the core handles. The body is streamed, never buffered here; a
 * body that a parser (e.g. `express.json()`) already consumed is re-serialised from `req.body`.
 */
export function toFetchRequest(req: ExpressRequest, url: URL): Request {
  const headers = new Headers();
  // The headers as sent: Node keeps only the first of several `Content-Type` (or
  // `Authorization`) headers in `req.headers`, where Fetch sees them all, and so must the core.
  const raw = req.rawHeaders;
  if (Array.isArray(raw) && raw.length > 0) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!);
    }
  } else {
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name.startsWith(':')) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const authorization = authorizationHeader(req);
    if (authorization !== undefined) headers.set('authorization', authorization);
  }
  const { method } = req;
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const body =
    req.body !== undefined || req.readableEnded ? reserialise(req, headers) : stream(req);
  return fetchRequest(url, { method, headers, body, duplex: 'half' } as RequestInit & {
    method: string;
  });
}

/** Why a request whose body an earlier middleware consumed (without `req.body`) fails. */
export const SPENT_BODY =
  '@auth/express: the request body was read by a middleware before authRouter() without ' +
  'setting req.body, so the auth routes cannot read it. Mount authRouter() before that ' +
  'middleware (or use a parser such as express.json(), which sets req.body).';

/**
 * Whether `req` came with a body that an earlier middleware read to its end without leaving
 * it in `req.body`: there is nothing left to hand the core.
 */
export function bodySpent(req: ExpressRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  if (req.body !== undefined || !req.readableEnded) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function reserialise(req: ExpressRequest, headers: Headers): string | Uint8Array {
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  const body: unknown = req.body;
  if (body === undefined || body === null) return '';
  if (body instanceof Uint8Array) return body;
  // A parser decoded the body by its declared charset; what is handed on is UTF-8.
  const type = headers.get('content-type');
  if (type !== null) headers.set('content-type', type.replace(/;\s*charset=[^;]*/gi, ''));
  if (typeof body === 'string') return body;
  if (!/^application\/x-www-form-urlencoded\b/i.test(headers.get('content-type') ?? '')) {
    return JSON.stringify(body);
  }
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    for (const item of [value].flat()) form.append(key, String(item));
  }
  return form.toString();
}

/**
 * The request body as a web stream with backpressure. Cancelling it (the core does, past its
 * size cap) pauses the request instead of destroying the socket, so the 413 can still be sent.
 */
function stream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  const settle = (finish: () => void) => {
    if (open) finish();
    open = false;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => settle(() => controller.close()));
      req.once('error', (error) => settle(() => controller.error(error)));
      req.once('close', () => settle(() => controller.error(new Error('request closed'))));
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.pause();
    },
  });
}
