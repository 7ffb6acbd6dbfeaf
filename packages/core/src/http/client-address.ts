/**
 * The client's address for rate limiting: the socket's, or — only behind proxies the app
 * names as trusted — the nearest untrusted hop of `X-Forwarded-For`. Never a value a client
 * can choose by sending a header to a server that does not sit behind such a proxy.
 */

import { normaliseAddress, trustedMatcher } from './address-ranges.js';

/** Most `X-Forwarded-For` entries read; a longer header is cut, never parsed whole. */
export const MAX_FORWARDED_HOPS = 32;

/** What an adapter knows about a connection. */
export interface ConnectionFacts {
  /** The socket's peer address. */
  remoteAddress: string | undefined;
  /** The `X-Forwarded-For` header value, if any. */
  forwardedFor?: string | null | undefined;
  /**
   * The proxies the app trusts: addresses, or CIDR ranges such as `10.0.0.0/8` or
   * `fd00::/8` (IPv4-mapped IPv6 addresses count as IPv4). Parsed once per array (and
   * again when its entries change). An entry with a `/` that is not a range throws a
   * `TypeError`.
   */
  trustedProxies?: readonly string[] | undefined;
}

/**
 * Resolves the client address of a request.
 * @returns the address, or `undefined` when the socket has none
 * @example
 * ```ts
 * clientAddress({ remoteAddress: '10.0.0.2', forwardedFor: '203.0.113.7, 10.0.0.1', trustedProxies: ['10.0.0.1', '10.0.0.2'] });
 * // '203.0.113.7'
 * ```
 */
export function clientAddress(facts: ConnectionFacts): string | undefined {
  if (!facts.remoteAddress) return undefined;
  const socket = normaliseAddress(facts.remoteAddress);
  const trusted = facts.trustedProxies;
  if (!trusted || trusted.length === 0 || !facts.forwardedFor) return socket;
  const isTrusted = trustedMatcher(trusted);
  if (!isTrusted(socket)) return socket;
  const hops = facts.forwardedFor
    .slice(0, MAX_FORWARDED_HOPS * 48)
    .split(',', MAX_FORWARDED_HOPS)
    .map(normaliseAddress);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (hop === '' || hop.length > 45) return socket;
    if (!isTrusted(hop)) return hop;
  }
  return socket;
}
