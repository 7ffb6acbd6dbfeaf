/**
 * Reads a request body with the size cap enforced while streaming, and parses JSON or
 * form bodies into prototype-free records. Every failure is a 4xx `AuthError`.
 */
import { AuthError } from '../errors.js';

/** A parsed body: field name → value, with no prototype. */
export type BodyFields = Record<string, unknown>;

const decoder = new TextDecoder('utf-8', { fatal: true });

function tooLarge(max: number): AuthError {
  return new AuthError('payload_too_large', {
    description: `the request body exceeds ${max} bytes`,
  });
}

/**
 * Reads at most `max` bytes of `request`'s body; refuses larger bodies without buffering them.
 * @throws AuthError `payload_too_large`
 */
export async function readCapped(request: Request, max: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    // Tell the runtime the body is abandoned, as when the cap is hit while streaming.
    await request.body?.cancel().catch(() => {});
    throw tooLarge(max);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge(max);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AuthError) throw error;
    throw new AuthError('invalid_request', {
      description: 'the request body could not be read',
      cause: error,
    });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The media type of a `Content-Type` value, lower-cased, without parameters. */
export function mediaType(header: string | null): string {
  if (!header) return '';
  return header.split(';', 1)[0]!.trim().toLowerCase();
}

function toText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AuthError('invalid_request', { description: 'the request body is not valid UTF-8' });
  }
}

/** Parses a JSON object body into a prototype-free record. */
export function parseJsonFields(text: string): BodyFields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AuthError('invalid_request', { description: 'the request body is not valid JSON' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuthError('invalid_request', {
      description: 'the request body must be a JSON object',
    });
  }
  const out: BodyFields = Object.create(null);
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/** Parses an `application/x-www-form-urlencoded` body; a repeated field is refused (RFC 6749 §3.2). */
export function parseFormFields(text: string): BodyFields {
  const out: BodyFields = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, key)) {
      throw new AuthError('invalid_request', { description: `the parameter "${key}" is repeated` });
    }
    out[key] = value;
  }
  return out;
}

/**
 * Reads and parses a JSON or form body. An empty body is an empty record.
 * @throws AuthError `payload_too_large`, `unsupported_media_type`, `invalid_request`
 */
export async function readFields(request: Request, max: number): Promise<BodyFields> {
  const coding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    // A compressed (or otherwise coded) body is not decoded: RFC 9110 §8.4 answers 415.
    await readCapped(request, max);
    throw new AuthError('unsupported_media_type', {
      description: 'content codings are not supported: send the body uncompressed',
    });
  }
  const type = mediaType(request.headers.get('content-type'));
  const json =
    type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  const form = type === 'application/x-www-form-urlencoded';
  if (!json && !form && type !== '' && request.headers.get('content-length') !== '0') {
    // Refused unparsed, but read (up to the cap, 413 beyond): a client still uploading
    // when the answer comes could lose it if the server stopped reading.
    await readCapped(request, max);
    throw new AuthError('unsupported_media_type');
  }
  const bytes = await readCapped(request, max);
  if (bytes.byteLength === 0) return Object.create(null);
  if (!json && !form) throw new AuthError('unsupported_media_type');
  const text = toText(bytes);
  return json ? parseJsonFields(text) : parseFormFields(text);
}

/**
 * Reads and discards what no route read of `request`'s body, at most `max` bytes (beyond
 * that the body is abandoned, as past the cap): the answer to a request reaches a client
 * that is still uploading only when the server reads the upload. Never throws.
 */
export async function discardBody(request: Request, max: number): Promise<void> {
  if (request.body === null || request.bodyUsed) return;
  await readCapped(request, max).catch(() => {});
}
