/** Everything a flow needs, built once by `createAuth`. */
import type { Clock } from './clock.js';
import type { ResolvedOptions } from './config.js';
import type { AuthEvent, AuthEventListener } from './events.js';
import type { KeyedTurns } from './flows/turns.js';
import type { ErrorRequestInfo } from './http/report-error.js';
import type { PasswordHasher } from './password/types.js';
import { quietly } from './quiet.js';
import type { RoleModel } from './roles/roles.js';
import type { AuthStorage } from './storage/types.js';
import type { AccessTokenVerifier } from './tokens/access-verify.js';
import type { KeySet } from './tokens/keys.js';

/** Shared state of one auth instance. Internal. */
export interface AuthContext {
  readonly options: ResolvedOptions;
  readonly storage: AuthStorage;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  readonly roles: RoleModel;
  /** The imported keys (imported once, on first use). */
  readonly keys: () => Promise<KeySet>;
  /** Verifies an access token. */
  readonly verifyAccessToken: AccessTokenVerifier;
  /** A hash of a random password with the current parameters, for unknown users. */
  readonly dummyHash: () => Promise<string>;
  /** Logins for one username from one client, one at a time (see `flows/turns.ts`). */
  readonly loginTurns: KeyedTurns;
  /** Sends an audit event; never throws. */
  readonly emit: (event: AuthEvent) => void;
  /** Reports an error answered with a 5xx; never throws. */
  readonly reportError: (error: unknown, request: ErrorRequestInfo) => void;
}

/** Wraps a listener so that it never throws into a flow. */
export function eventEmitter(listener: AuthEventListener | undefined): (event: AuthEvent) => void {
  return listener ? quietly(listener) : () => {};
}
