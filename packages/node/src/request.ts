/** A Node `IncomingMessage` as a Fetch `Request`: headers copied, body streamed, never buffered. */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { fetchRequest, requestTarget } from '@auth/core';

/**
 * The URL of a request: its path exactly as sent, on the `Host` it names when that is a
 * valid host (otherwise `localhost`). An absolute-form target (RFC 9112 §3.2.2) gives its
 * own path and host. `undefined` for a target that is neither (`*`, authority-form), which
 * is never an auth route.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = requestTarget(req.url ?? '');
  if (!target) return undefined;
  const url = new URL(`http://localhost${target.path}`); // a fixed host and a path: always parses
  // The setters ignore an invalid value and never touch the path.
  const host = target.host ?? req.headers.host;
  if (host) url.host = host;
  if ((req.socket as TLSSocket).encrypted) url.protocol = 'https:';
  return url;
}

/**
 * Builds the Fetch `Request`. The body is the request stream itself, so the core's size cap
 * applies while streaming; when the core stops reading, the rest stays unread in the socket.
 */
export function toFetchRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? null : Readable.toWeb(req);
  // `duplex` is required by Node's fetch for a stream body and missing from the DOM types.
  const init = { method, headers, body, duplex: 'half' };
  return fetchRequest(url, init as RequestInit & { method: string });
}
