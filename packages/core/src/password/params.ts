/**
 * The algorithms and parameters the password module reads from and writes to PHC strings,
 * and the limits that keep a crafted or corrupt stored hash from costing more than any real
 * deployment uses: a hash beyond them is refused before any memory is allocated.
 */
import { AuthError } from '../errors.js';
import { formatPhc, type PhcHash, parsePhc } from './phc.js';

/** The Argon2 variants (RFC 9106). */
export type Argon2Algorithm = 'argon2id' | 'argon2i' | 'argon2d';

/** Argon2 parameters as written in a PHC string. */
export interface Argon2Params {
  /** Variant. */
  readonly alg: Argon2Algorithm;
  /** Version: `0x13` (`v=19`, current) or `0x10` (`v=16`, or no `v=` field). */
  readonly version: 0x10 | 0x13;
  /** Memory cost, in KiB. */
  readonly m: number;
  /** Time cost, in passes over memory. */
  readonly t: number;
  /** Parallelism (lanes). */
  readonly p: number;
}

/** Scrypt parameters as passlib writes them. */
export interface ScryptParams {
  /** Algorithm. */
  readonly alg: 'scrypt';
  /** log2 of the cost `N`. */
  readonly ln: number;
  /** Block size `r`. */
  readonly r: number;
  /** Parallelism `p`. */
  readonly p: number;
}

/** The parameters of any supported algorithm. */
export type KdfParams = Argon2Params | ScryptParams;

/** A stored hash, decoded and checked against {@link HASH_LIMITS}. */
export interface DecodedHash {
  /** Algorithm and cost. */
  readonly params: KdfParams;
  /** Raw salt. */
  readonly salt: Uint8Array;
  /** Raw derived key; its length is the length to derive when verifying. */
  readonly hash: Uint8Array;
}

/**
 * The largest costs a stored hash may state. They admit every published profile
 * (RFC 9106's first recommendation: 2 GiB × 1 pass; libsodium `SENSITIVE`: 1 GiB × 4 passes;
 * passlib and OWASP scrypt profiles up to N = 2^20) and refuse anything beyond.
 */
export const HASH_LIMITS = {
  argon2: {
    /** Largest `m`, in KiB (2 GiB). */
    maxMemory: 2 ** 21,
    /** Largest `t`, in passes. */
    maxTime: 32,
    /** Largest `m × t`, in KiB-passes (4 GiB-passes). */
    maxWork: 2 ** 22,
    /** Largest `p`, in lanes. */
    maxParallelism: 64,
    /** Salt length range, in bytes (libargon2 requires at least 8). */
    saltLength: [8, 64],
    /** Hash length range, in bytes. */
    hashLength: [16, 64],
  },
  scrypt: {
    /** Largest `ln` (N = 2^20). */
    maxLn: 20,
    /** Largest block size `r`. */
    maxBlockSize: 32,
    /** Largest parallelism `p`. */
    maxParallelism: 16,
    /** Largest `128 × N × r × p`, in bytes of memory traffic (1 GiB). */
    maxWork: 2 ** 30,
    /** Salt length range, in bytes. */
    saltLength: [1, 64],
    /** Hash length range, in bytes. */
    hashLength: [16, 64],
  },
} as const;

const ARGON2_IDS: readonly string[] = ['argon2id', 'argon2i', 'argon2d'];

/**
 * True when `alg` is an Argon2 variant.
 * @param params - parameters of any algorithm
 */
export function isArgon2(params: KdfParams): params is Argon2Params {
  return params.alg !== 'scrypt';
}

/**
 * Parses a stored hash and checks its algorithm and costs against {@link HASH_LIMITS},
 * before any work is done.
 *
 * @param value - the PHC string from storage
 * @returns the algorithm, parameters, salt and hash
 * @throws AuthError `unsupported_hash` for an unknown, malformed or over-limit hash
 */
export function decodeHash(value: string): DecodedHash {
  const phc = parsePhc(value);
  if (ARGON2_IDS.includes(phc.id)) return decodeArgon2(phc);
  if (phc.id === 'scrypt') return decodeScrypt(phc);
  throw refuse(`unknown algorithm "${phc.id}"`);
}

/**
 * Writes a hash as a PHC string: Argon2 as `$argon2id$v=19$m=…,t=…,p=…$salt$hash`
 * (argon2-cffi), scrypt as `$scrypt$ln=…,r=…,p=…$salt$hash` (passlib).
 *
 * @param decoded - algorithm, parameters, salt and hash
 */
export function encodeHash(decoded: DecodedHash): string {
  const { params, salt, hash } = decoded;
  const phc: PhcHash = isArgon2(params)
    ? {
        id: params.alg,
        version: params.version === 0x13 ? 19 : 16,
        params: [
          ['m', params.m],
          ['t', params.t],
          ['p', params.p],
        ],
        salt,
        hash,
      }
    : {
        id: 'scrypt',
        params: [
          ['ln', params.ln],
          ['r', params.r],
          ['p', params.p],
        ],
        salt,
        hash,
      };
  return formatPhc(phc);
}

/**
 * True when `a` and `b` name the same algorithm with the same costs.
 * @param a - first parameters
 * @param b - second parameters
 */
export function sameParams(a: KdfParams, b: KdfParams): boolean {
  if (isArgon2(a)) {
    return (
      isArgon2(b) &&
      a.alg === b.alg &&
      a.version === b.version &&
      a.m === b.m &&
      a.t === b.t &&
      a.p === b.p
    );
  }
  return !isArgon2(b) && a.ln === b.ln && a.r === b.r && a.p === b.p;
}

function decodeArgon2(phc: PhcHash): DecodedHash {
  const limits = HASH_LIMITS.argon2;
  // No `v=` field means version 0x10, as libargon2 reads it.
  const v = phc.version ?? 16;
  if (v !== 16 && v !== 19) throw refuse(`argon2 version ${v}`);
  const [m, t, p] = namedParams(phc, ['m', 't', 'p']);
  if (p < 1 || p > limits.maxParallelism) throw refuse(`argon2 p=${p}`);
  if (m < 8 * p || m > limits.maxMemory) throw refuse(`argon2 m=${m}`);
  if (t < 1 || t > limits.maxTime || m * t > limits.maxWork) throw refuse(`argon2 t=${t}`);
  checkLengths(phc, limits.saltLength, limits.hashLength);
  const alg = phc.id as Argon2Algorithm;
  return { params: { alg, version: v === 19 ? 0x13 : 0x10, m, t, p }, ...bytes(phc) };
}

function decodeScrypt(phc: PhcHash): DecodedHash {
  const limits = HASH_LIMITS.scrypt;
  if (phc.version !== undefined) throw refuse('scrypt has no version');
  const [ln, r, p] = namedParams(phc, ['ln', 'r', 'p']);
  if (ln < 1 || ln > limits.maxLn) throw refuse(`scrypt ln=${ln}`);
  if (r < 1 || r > limits.maxBlockSize) throw refuse(`scrypt r=${r}`);
  if (p < 1 || p > limits.maxParallelism) throw refuse(`scrypt p=${p}`);
  if (128 * 2 ** ln * r * p > limits.maxWork) throw refuse(`scrypt ln=${ln},r=${r},p=${p}`);
  checkLengths(phc, limits.saltLength, limits.hashLength);
  return { params: { alg: 'scrypt', ln, r, p }, ...bytes(phc) };
}

/** The values of exactly three parameters, named and ordered as `names`. */
function namedParams(
  phc: PhcHash,
  names: readonly [string, string, string],
): [number, number, number] {
  const { params } = phc;
  if (params.length !== 3 || params.some(([name], i) => name !== names[i])) {
    throw refuse(`${phc.id} parameters`);
  }
  return [params[0]![1], params[1]![1], params[2]![1]];
}

function checkLengths(
  phc: PhcHash,
  salt: readonly [number, number],
  hash: readonly [number, number],
): void {
  if (phc.salt.length < salt[0] || phc.salt.length > salt[1]) throw refuse('salt length');
  if (phc.hash.length < hash[0] || phc.hash.length > hash[1]) throw refuse('hash length');
}

function bytes(phc: PhcHash): { salt: Uint8Array; hash: Uint8Array } {
  return { salt: phc.salt, hash: phc.hash };
}

function refuse(reason: string): AuthError {
  return new AuthError('unsupported_hash', { cause: new RangeError(reason) });
}
