/** Fetch `Response` / error parts → Express response. */
import type { ErrorParts } from '@auth/core';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** Writes the core's `Response` (status, headers, body) to the Express response. */
export async function sendResponse(
  req: ExpressRequest,
  res: ExpressResponse,
  response: Response,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.status(response.status);
  for (const [name, value] of response.headers)
    if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  finish(req, res, body);
}

/** Writes an error's parts (from the core's `errorParts`) to the Express response. */
export function sendError(req: ExpressRequest, res: ExpressResponse, parts: ErrorParts): void {
  res.status(parts.status);
  res.setHeader('x-content-type-options', 'nosniff');
  for (const [name, value] of Object.entries(parts.headers)) res.setHeader(name, value);
  finish(req, res, Buffer.from(parts.body));
}

function finish(req: ExpressRequest, res: ExpressResponse, body: Buffer): void {
  if (!req.complete) res.setHeader('connection', 'close');
  res.setHeader('content-length', body.byteLength);
  res.end(body);
}
