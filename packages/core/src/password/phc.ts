/**
 * The PHC string format (https://github.com/P-H-C/phc-string-format), in the strict subset
 * that argon2-cffi, libargon2 and passlib write:
 * `$<id>[$v=<version>]$<k>=<v>,<k>=<v>…$<salt>$<hash>`, where parameter values are decimal
 * integers and salt and hash are standard base64 (`+/`) without padding.
 */
import { AuthError } from '../errors.js';

/** A parsed PHC string. Parameters keep their order, which is part of the format. */
export interface PhcHash {
  /** Algorithm id, e.g. `argon2id` or `scrypt`. */
  readonly id: string;
  /** The `v=` field, when present. */
  readonly version?: number;
  /** Parameters in written order, each a decimal integer in `0..2^32-1`. */
  readonly params: ReadonlyArray<readonly [name: string, value: number]>;
  /** Raw salt bytes. */
  readonly salt: Uint8Array;
  /** Raw hash (derived key) bytes. */
  readonly hash: Uint8Array;
}

/** The longest PHC string {@link parsePhc} reads, in characters; longer input is refused unread. */
export const PHC_MAX_LENGTH = 512;

const ID = /^[a-z0-9-]{1,32}$/;
const NAME = /^[a-z0-9-]{1,32}$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,9})$/;
const VERSION = /^v=(0|[1-9][0-9]{0,9})$/;
const BASE64 = /^[A-Za-z0-9+/]*$/;
const MAX_PARAMS = 8;
const MAX_U32 = 0xffff_ffff;

/**
 * Parses a PHC string strictly: exactly one id, an optional `v=`, a non-empty parameter
 * list without duplicates, a salt and a hash, in canonical unpadded base64.
 *
 * @param value - the stored hash
 * @returns the parsed fields
 * @throws AuthError `unsupported_hash` when `value` is not such a string
 * @example
 * ```ts
 * parsePhc('$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$…').params; // [['ln',17],['r',8],['p',1]]
 * ```
 */
export function parsePhc(value: string): PhcHash {
  if (typeof value !== 'string' || value.length > PHC_MAX_LENGTH) throw malformed();
  const fields = value.split('$');
  if (fields.length !== 5 && fields.length !== 6) throw malformed();
  if (fields[0] !== '') throw malformed();
  const id = fields[1]!;
  if (!ID.test(id)) throw malformed();
  let next = 2;
  let version: number | undefined;
  if (fields.length === 6) {
    const match = VERSION.exec(fields[next++]!);
    if (!match) throw malformed();
    version = toU32(match[1]!);
  }
  const params = parseParams(fields[next++]!);
  const salt = decodeBase64(fields[next++]!);
  const hash = decodeBase64(fields[next]!);
  return version === undefined ? { id, params, salt, hash } : { id, version, params, salt, hash };
}

/**
 * Writes a PHC string. The inverse of {@link parsePhc}.
 *
 * @param phc - the fields to write
 * @returns `$id[$v=…]$k=v,…$salt$hash`
 */
export function formatPhc(phc: PhcHash): string {
  const version = phc.version === undefined ? '' : `$v=${phc.version}`;
  const params = phc.params.map(([name, v]) => `${name}=${v}`).join(',');
  return `$${phc.id}${version}$${params}$${encodeBase64(phc.salt)}$${encodeBase64(phc.hash)}`;
}

/**
 * Encodes bytes as standard base64 without padding.
 * @param bytes - the bytes to encode
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/=+$/, '');
}

/**
 * Decodes standard unpadded base64, refusing any non-canonical encoding (padding, other
 * alphabets, whitespace, non-zero trailing bits).
 * @param text - the base64 text
 * @throws AuthError `unsupported_hash` when `text` is not canonical unpadded base64
 */
export function decodeBase64(text: string): Uint8Array {
  if (!BASE64.test(text) || text.length % 4 === 1) throw malformed();
  const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (encodeBase64(bytes) !== text) throw malformed();
  return bytes;
}

function parseParams(text: string): Array<readonly [string, number]> {
  const parts = text.split(',');
  if (text === '' || parts.length > MAX_PARAMS) throw malformed();
  const params: Array<readonly [string, number]> = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq);
    const raw = part.slice(eq + 1);
    if (eq < 0 || !NAME.test(name) || !DECIMAL.test(raw)) throw malformed();
    if (params.some(([seen]) => seen === name)) throw malformed();
    params.push([name, toU32(raw)]);
  }
  return params;
}

function toU32(text: string): number {
  const n = Number(text);
  if (n > MAX_U32) throw malformed();
  return n;
}

function malformed(): AuthError {
  return new AuthError('unsupported_hash');
}
