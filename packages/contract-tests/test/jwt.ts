/**
 * Reading access tokens, and forging them with the test's own AUTH_SECRET so that every
 * way a token can be wrong (signature, `exp`, `nbf`, `iss`, `aud`, `typ`, `alg`) is tried
 * against a control that differs in nothing else.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SECRET } from './harness.js';

/** The default `iss` of the examples. */
export const ISSUER = 'urn:auth-core:example';
/** The default `aud` of the examples. */
export const AUDIENCE = 'urn:auth-core:api';

/** A decoded (not verified) JWT. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Decodes a compact JWT without verifying it. */
export function decodeJwt(token: string): DecodedJwt {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
  };
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims the examples accept: right issuer, audience, times, roles. */
export function goodClaims(sub: string, roles: string[] = ['user']): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub,
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    roles,
  };
}

/** What to forge. */
export interface ForgeOptions {
  header?: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** HMAC key; default the instances' AUTH_SECRET. */
  secret?: string;
  /** `sha256` (HS256, default) or `sha512` (HS512). */
  hash?: 'sha256' | 'sha512';
  /** Leave the signature empty (`alg: none`). */
  unsigned?: boolean;
}

/** Signs a JWT by hand. */
export function forgeJwt(options: ForgeOptions): string {
  const header = options.header ?? { alg: 'HS256', typ: 'at+jwt' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(options.claims))}`;
  if (options.unsigned) return `${input}.`;
  const mac = createHmac(options.hash ?? 'sha256', options.secret ?? SECRET)
    .update(input)
    .digest();
  return `${input}.${b64url(mac)}`;
}
