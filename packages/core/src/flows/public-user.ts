import type { UserRecord } from '../storage/types.js';

/** A user as shown to clients: never the hash. */
export interface PublicUser {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
}

/** The public view of a stored user. */
export function publicUser(user: UserRecord): PublicUser {
  return { id: user.id, username: user.username, roles: [...user.roles] };
}
