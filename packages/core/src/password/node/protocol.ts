/** Internal: the messages between the hashing pool and its workers. */
import type { KdfParams } from '../params.js';

/** One derivation, sent to a worker. `password` is transferred, and wiped by the worker. */
export interface HashJob {
  /** Sequence number, echoed in the reply. */
  readonly id: number;
  /** Algorithm and costs (already checked against the limits). */
  readonly params: KdfParams;
  /** UTF-8 password bytes. */
  readonly password: Uint8Array;
  /** Salt bytes. */
  readonly salt: Uint8Array;
  /** Bytes to derive. */
  readonly dkLen: number;
  /** Memory budget in bytes, computed on the main thread (see `lib/memory.ts`). */
  readonly maxmem: number;
}

/** A worker's answer to a {@link HashJob}. */
export type HashReply =
  | { readonly id: number; readonly key: Uint8Array }
  | { readonly id: number; readonly error: string };
