/** Audit events. They never carry a password, a hash or a token. */

/** Why a login failed. */
export type LoginFailureReason =
  | 'unknown_user'
  | 'wrong_password'
  | 'disabled'
  | 'unsupported_hash'
  | 'rate_limited';

/** An event emitted through the `onEvent` option. */
export type AuthEvent =
  | { type: 'register'; at: number; userId: string; username: string }
  | { type: 'login_success'; at: number; userId: string; sessionId: string; client?: string }
  | {
      type: 'login_failure';
      at: number;
      username: string;
      reason: LoginFailureReason;
      userId?: string;
      client?: string;
    }
  | { type: 'refresh'; at: number; userId: string; sessionId: string; retry: boolean }
  | { type: 'refresh_reuse_detected'; at: number; userId: string; sessionId: string }
  | { type: 'logout'; at: number; userId: string; sessionId: string }
  | { type: 'logout_all'; at: number; userId: string; sessions: number }
  | { type: 'password_rehashed'; at: number; userId: string };

/** Receives audit events; errors it throws are swallowed. */
export type AuthEventListener = (event: AuthEvent) => void | Promise<void>;
