/**
 * Opaque refresh tokens: 256 random bits, base64url; stored only as their SHA-256.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url } from 'jose';

/** Random bytes in a refresh token. */
export const REFRESH_TOKEN_BYTES = 32;
const SHAPE = /^[A-Za-z0-9_-]{43}$/;
const encoder = new TextEncoder();

/** A fresh refresh token and its storage hash. */
export interface IssuedRefreshToken {
  /** The token the client keeps. Never stored. */
  readonly token: string;
  /** SHA-256 of the token, base64url: what storage keeps. */
  readonly hash: string;
}

/** Makes a new refresh token. */
export function newRefreshToken(): IssuedRefreshToken {
  const token = base64url.encode(crypto.getRandomValues(new Uint8Array(REFRESH_TOKEN_BYTES)));
  return { token, hash: hashRefreshToken(token) };
}

/** The storage hash of a refresh token. */
export function hashRefreshToken(token: string): string {
  return base64url.encode(sha256(encoder.encode(token)));
}

/** True when `value` has the shape of a refresh token this library issues. */
export function isRefreshTokenShape(value: string): boolean {
  return SHAPE.test(value);
}
