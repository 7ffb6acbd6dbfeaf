/**
 * The request `authRoutes` hands the core. Usually `c.req.raw` as it came; when a middleware
 * before it has already read the body through Hono (`c.req.json()`, `c.req.parseBody()`, a
 * validator), the raw stream is spent and the body is rebuilt from the copy Hono keeps.
 */
import { fetchRequest } from '@auth/core';
import type { Context } from 'hono';

/** What Hono keeps of a body read through `c.req`, by the method that read it first. */
interface BodyCache {
  arrayBuffer?: Promise<ArrayBuffer>;
  text?: Promise<string>;
  blob?: Promise<Blob>;
  formData?: Promise<FormData>;
}

/** Why a body that is spent and not kept by Hono can't be answered. */
export const SPENT_BODY =
  '@auth/hono: the request body was read before authRoutes() got it and Hono kept no copy ' +
  '(it was read from c.req.raw, or by a c.req.formData() that failed), so the auth routes ' +
  'cannot read it. Mount authRoutes() before that middleware, or read the body through ' +
  'c.req (json(), text(), parseBody()), which keeps a copy.';

/** The body Hono kept, as bytes, text or a form, the same as the client sent. */
async function keptBody(c: Context, cache: BodyCache): Promise<BodyInit> {
  if (cache.arrayBuffer) return cache.arrayBuffer;
  if (cache.text) return cache.text;
  if (cache.blob) return cache.blob;
  // A body `formData()` failed to parse (not a form) is gone with the stream it read.
  const form = await cache.formData?.catch(() => undefined);
  if (!form) throw new Error(SPENT_BODY);
  // A form read by `c.req.formData()` alone: urlencoded as it came, else its bytes again
  // (a multipart body, which the core refuses by its media type all the same).
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
    return c.req.arrayBuffer();
  }
  const fields = new URLSearchParams();
  for (const [name, value] of form) {
    if (typeof value === 'string') fields.append(name, value);
  }
  return fields.toString();
}

/**
 * A copy of `c.req.raw`, whose body a middleware has read already, with the body Hono kept.
 * @throws Error (the promise rejects) naming the mistake when the body was read from
 *   `c.req.raw` itself
 */
export async function rebuiltRequest(c: Context): Promise<Request> {
  const raw = c.req.raw;
  const body = await keptBody(c, c.req.bodyCache as BodyCache);
  const headers = new Headers(raw.headers);
  // The length is the kept body's now; the core counts it against its cap as it reads.
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  return fetchRequest(new URL(raw.url), {
    method: raw.method,
    headers,
    body,
    duplex: 'half',
  } as RequestInit & { method: string });
}
