/** The verified identity behind an access token. */
export interface Principal {
  /** The user id (`sub`). */
  readonly userId: string;
  /** Role names carried by the token. */
  readonly roles: readonly string[];
  /** The session (refresh-token family) the token was issued for (`sid`). */
  readonly sessionId: string | undefined;
  /** The token id (`jti`). */
  readonly tokenId: string;
  /** Issue time, seconds since the epoch (`iat`). */
  readonly issuedAt: number;
  /** Expiry, seconds since the epoch (`exp`). */
  readonly expiresAt: number;
  /** Every claim of the token. */
  readonly claims: Readonly<Record<string, unknown>>;
}
