/**
 * The client's address for rate limiting: the socket's, or — only behind proxies the app
 * names as trusted — the nearest untrusted hop of `X-Forwarded-For`. Never a value a client
 * can choose by sending a header to a server that does not sit behind such a proxy.
 */

/** Most `X-Forwarded-For` entries read; a longer header is cut, never parsed whole. */
export const MAX_FORWARDED_HOPS = 32;

/** What an adapter knows about a connection. */
export interface ConnectionFacts {
  /** The socket's peer address. */
  remoteAddress: string | undefined;
  /** The `X-Forwarded-For` header value, if any. */
  forwardedFor?: string | null | undefined;
  /** Addresses of the proxies the app trusts (exact matches, IPv4-mapped IPv6 folded). */
  trustedProxies?: readonly string[] | undefined;
}

function normalise(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
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
  const socket = normalise(facts.remoteAddress);
  const trusted = facts.trustedProxies;
  if (!trusted || trusted.length === 0 || !facts.forwardedFor) return socket;
  const trustedSet = new Set(trusted.map(normalise));
  if (!trustedSet.has(socket)) return socket;
  const hops = facts.forwardedFor
    .slice(0, MAX_FORWARDED_HOPS * 48)
    .split(',', MAX_FORWARDED_HOPS)
    .map(normalise);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (hop === '' || hop.length > 45) return socket;
    if (!trustedSet.has(hop)) return hop;
  }
  return socket;
}
