/** Fetch `Response` / error parts → Express response. */
import type { ErrorParts } from '@auth/core';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { drainBody } from './drain.js';

/** Writes the core's `Response` (status, headers, body) to the Express response. */
export async function sendResponse(
  req: ExpressRequest,
  res: ExpressResponse,
  response: Response,
): Promise<void> {
  // A body-less answer (to `HEAD`) keeps the `Content-Length` the core gave it.
  const length = response.body === null ? response.headers.get('content-length') : null;
  const body = Buffer.from(await response.arrayBuffer());
  res.status(response.status);
  for (const [name, value] of response.headers)
    if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  finish(req, res, body, length ?? body.byteLength);
}

/**
 * Writes an error's parts (from the core's `errorParts`) to the Express response. First the
 * unread rest of the request body is read, up to `maxBodyBytes`, so that a client still
 * uploading gets the answer; a larger body is left unread and the connection closed.
 */
export async function sendError(
  req: ExpressRequest,
  res: ExpressResponse,
  parts: ErrorParts,
  maxBodyBytes: number,
): Promise<void> {
  await drainBody(req, maxBodyBytes);
  res.status(parts.status);
  res.setHeader('x-content-type-options', 'nosniff');
  for (const [name, value] of Object.entries(parts.headers)) res.setHeader(name, value);
  const body = Buffer.from(parts.body);
  finish(req, res, body, body.byteLength);
}

function finish(
  req: ExpressRequest,
  res: ExpressResponse,
  body: Buffer,
  length: number | string,
): void {
  if (!req.complete) res.setHeader('connection', 'close');
  // A 204 or 304 has no body and no Content-Length (RFC 9110 §8.6).
  if (res.statusCode === 204 || res.statusCode === 304) return void res.end();
  res.setHeader('content-length', length);
  res.end(body);
}
