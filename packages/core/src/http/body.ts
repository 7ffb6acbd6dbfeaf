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

/** `charset` labels of UTF-8 (and of ASCII, a subset of it) that a body may declare. */
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * The `charset` parameter of a `Content-Type` value, lower-cased and unquoted, or `undefined`
 * when it has none.
 */
function charsetOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const params = header.split(';');
  for (let i = 1; i < params.length; i++) {
    const param = params[i]!;
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    const value = param.slice(eq + 1).trim();
    const unquoted =
      value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value;
    return unquoted.toLowerCase();
  }
  return undefined;
}

function toText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AuthError('invalid_request', { description: 'the request body is not valid UTF-8' });
  }
}

/** A parameter name that an error description may repeat. */
const PLAIN_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function repeated(kind: 'parameter' | 'member', key: string): AuthError {
  // Named only when it is a plain name: the answer never echoes arbitrary client input.
  const name = PLAIN_NAME.test(key) ? `the ${kind} ${key}` : `a ${kind}`;
  return new AuthError('invalid_request', { description: `${name} is repeated` });
}

/** JSON's insignificant whitespace (RFC 8259 §2). */
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Refuses a member name that the top-level object of valid JSON `text` has twice (after
 * its escapes are decoded). `JSON.parse` keeps the last one, where another reader of the
 * same body may keep the first (RFC 8259 §4): one request, read two ways, is refused, as a
 * form that repeats a parameter is.
 */
function refuseRepeatedMembers(text: string): void {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x22) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth !== 1) continue;
      let next = i + 1;
      while (isJsonSpace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) !== 0x3a) continue;
      const key = JSON.parse(text.slice(start, i + 1)) as string;
      if (seen.has(key)) throw repeated('member', key);
      seen.add(key);
    }
  }
}

/**
 * Parses a JSON object body into a prototype-free record; a member given twice is refused.
 */
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
  refuseRepeatedMembers(text);
  const out: BodyFields = Object.create(null);
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/** Strict UTF-8 for one form value: a byte order mark in it is kept, as any character. */
const componentDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

function isHex(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x46) ||
      (byte >= 0x61 && byte <= 0x66))
  );
}

/**
 * One name or value of a form, decoded as the URL standard does (`+` is a space, `%XX` a
 * byte; a `%` not followed by two hex digits stays as it is), except that bytes which are
 * not UTF-8 are refused rather than read as U+FFFD: `%F6` and `%FC` must not name one account.
 */
function formComponent(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  if (!spaced.includes('%')) return spaced;
  const input = utf8.encode(spaced);
  const bytes = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === 0x25 && isHex(input[i + 1]) && isHex(input[i + 2])) {
      bytes[n++] = Number.parseInt(String.fromCharCode(input[i + 1]!, input[i + 2]!), 16);
      i += 2;
    } else {
      bytes[n++] = input[i]!;
    }
  }
  try {
    return componentDecoder.decode(bytes.subarray(0, n));
  } catch {
    throw new AuthError('invalid_request', {
      description: 'a form field is not valid UTF-8 once percent-decoded',
    });
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body. As RFC 6749 §3.2 has it, a parameter
 * without a value counts as omitted, and one given more than once is refused.
 */
export function parseFormFields(text: string): BodyFields {
  const out: BodyFields = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const value = eq === -1 ? '' : formComponent(pair.slice(eq + 1));
    if (value === '') continue;
    const key = formComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (Object.hasOwn(out, key)) throw repeated('parameter', key);
    out[key] = value;
  }
  return out;
}

const FORM_ONLY = 'the token endpoint takes application/x-www-form-urlencoded parameters only';

/**
 * The error for a body of a type the route does not read: a 415, except that the token
 * endpoint's parameters sent as JSON are a malformed request, RFC 6749 §5.2's
 * `invalid_request`.
 */
function refusal(formOnly: boolean, isJson: boolean): AuthError {
  if (!formOnly) return new AuthError('unsupported_media_type');
  if (isJson) return new AuthError('invalid_request', { description: FORM_ONLY });
  return new AuthError('unsupported_media_type', { description: FORM_ONLY });
}

/**
 * Reads and parses a JSON or form body (with `formOnly`, a form body only: the OAuth token
 * endpoint's, RFC 6749 §4.3). An empty body is an empty record.
 * @throws AuthError `payload_too_large`, `unsupported_media_type`, `invalid_request` (also JSON
 *   where `formOnly`)
 */
export async function readFields(
  request: Request,
  max: number,
  formOnly = false,
): Promise<BodyFields> {
  const coding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    // A compressed (or otherwise coded) body is not decoded: RFC 9110 §8.4 answers 415.
    await readCapped(request, max);
    throw new AuthError('unsupported_media_type', {
      description: 'content codings are not supported: send the body uncompressed',
    });
  }
  const type = mediaType(request.headers.get('content-type'));
  const isJson =
    type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  const json = isJson && !formOnly;
  const form = type === 'application/x-www-form-urlencoded';
  if (!json && !form && type !== '' && request.headers.get('content-length') !== '0') {
    // Refused unparsed, but read (up to the cap, 413 beyond): a client still uploading
    // when the answer comes could lose it if the server stopped reading.
    await readCapped(request, max);
    throw refusal(formOnly, isJson);
  }
  const bytes = await readCapped(request, max);
  if (bytes.byteLength === 0) return Object.create(null);
  if (!json && !form) throw refusal(formOnly, isJson);
  const charset = charsetOf(request.headers.get('content-type'));
  if (charset !== undefined && !UTF8_LABELS.has(charset)) {
    // JSON between systems is UTF-8 (RFC 8259 §8.1), and so is every form this reads: a body
    // declared in another charset would be misread, so it is refused.
    throw new AuthError('unsupported_media_type', {
      description: 'the request body must be UTF-8: send charset=utf-8 or no charset',
    });
  }
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
