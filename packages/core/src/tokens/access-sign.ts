/** Issues JWT access tokens (RFC 9068 profile: `typ: at+jwt`). */
import { SignJWT } from 'jose';
import { type Clock, clockSeconds } from '../clock.js';
import { randomId } from '../random.js';
import type { KeySet } from './keys.js';

/** What an access token says. */
export interface AccessTokenSubject {
  userId: string;
  roles: readonly string[];
  sessionId?: string | undefined;
}

/** Options of {@link signAccessToken}. */
export interface AccessTokenSettings {
  issuer: string;
  audience: string | readonly string[];
  /** Lifetime in seconds. */
  ttl: number;
}

/**
 * Signs an access token with the current signing key.
 * @returns the compact JWT and its lifetime in seconds
 */
export async function signAccessToken(
  keys: KeySet,
  clock: Clock,
  settings: AccessTokenSettings,
  subject: AccessTokenSubject,
): Promise<string> {
  const key = keys.signing;
  const now = clockSeconds(clock);
  const claims: Record<string, unknown> = { roles: [...subject.roles] };
  if (subject.sessionId) claims.sid = subject.sessionId;
  const header =
    key.kid === undefined
      ? { alg: key.alg, typ: 'at+jwt' }
      : { alg: key.alg, typ: 'at+jwt', kid: key.kid };
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(settings.issuer)
    .setAudience(typeof settings.audience === 'string' ? settings.audience : [...settings.audience])
    .setSubject(subject.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + settings.ttl)
    .setJti(randomId())
    .sign(key.signKey!);
}
