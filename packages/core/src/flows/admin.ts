/** User administration for the application's own code (not exposed over HTTP). */
import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { newPasswordSchema } from '../schemas.js';
import type { SessionFamily } from '../storage/types.js';
import { usernameKey } from '../username.js';
import { validate } from '../validate.js';
import { type PublicUser, publicUser } from './public-user.js';

/** Administration of users and their sessions. Changes take effect at the next refresh. */
export interface UserAdmin {
  /** A user by id, or `null`. */
  get(userId: string): Promise<PublicUser | null>;
  /** A user by username (any case or width), or `null`. */
  findByUsername(username: string): Promise<PublicUser | null>;
  /**
   * Sets a user's password (policy checked, hashed with the current hasher).
   * @throws AuthError `invalid_request`, `not_found`
   */
  setPassword(userId: string, password: string): Promise<PublicUser>;
  /**
   * Whether `password` is the user's password (`false` for an unknown user, or for a
   * password longer than the policy allows, which is refused before any hashing): for a
   * flow that asks for the current password again before a sensitive change.
   */
  verifyPassword(userId: string, password: string): Promise<boolean>;
  /**
   * Replaces a user's roles; with a `roles` option, only roles it defines.
   * @throws AuthError `not_found`, or `invalid_request` for a role that is not a non-empty
   *   string or, with a `roles` option, not one it defines
   */
  setRoles(userId: string, roles: readonly string[]): Promise<PublicUser>;
  /** Disables a user and revokes every session. @throws AuthError `not_found` */
  disable(userId: string): Promise<PublicUser>;
  /** Re-enables a user. @throws AuthError `not_found` */
  enable(userId: string): Promise<PublicUser>;
  /** Deletes a user and their sessions; resolves whether it existed. */
  delete(userId: string): Promise<boolean>;
  /** A user's live sessions. */
  listSessions(userId: string): Promise<SessionFamily[]>;
}

function notFound(): AuthError {
  return new AuthError('not_found', { description: 'no such user' });
}

/** Builds the admin API of an auth instance. */
export function userAdmin(ctx: AuthContext): UserAdmin {
  const users = ctx.storage.users;
  const update = async (userId: string, patch: Parameters<typeof users.updateUser>[1]) => {
    const user = await users.updateUser(userId, patch, ctx.clock.now());
    if (!user) throw notFound();
    return publicUser(user);
  };
  return {
    async get(userId) {
      const user = await users.findUserById(userId);
      return user ? publicUser(user) : null;
    },
    async findByUsername(username) {
      if (typeof username !== 'string' || username.length > 256) return null;
      const user = await users.findUserByUsername(usernameKey(username));
      return user ? publicUser(user) : null;
    },
    async setPassword(userId, password) {
      const { minPasswordLength, maxPasswordLength } = ctx.options;
      const checked = validate(newPasswordSchema(minPasswordLength, maxPasswordLength), password);
      return update(userId, { passwordHash: await ctx.hasher.hash(checked) });
    },
    async verifyPassword(userId, password) {
      if (typeof password !== 'string' || password.length > ctx.options.maxPasswordLength) {
        return false;
      }
      const user = await users.findUserById(userId);
      if (!user) return false;
      return ctx.hasher.verify(user.passwordHash, password).catch(() => false);
    },
    setRoles: (userId, roles) => {
      if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && r.length > 0)) {
        return Promise.reject(
          new AuthError('invalid_request', { description: 'roles must be non-empty strings' }),
        );
      }
      const [unknown] = ctx.roles.unknownRoles(roles);
      if (unknown !== undefined) {
        return Promise.reject(
          new AuthError('invalid_request', {
            description: `role "${unknown}" is not defined by the roles option`,
          }),
        );
      }
      return update(userId, { roles: [...new Set(roles)] });
    },
    async disable(userId) {
      const user = await update(userId, { disabled: true });
      await ctx.storage.sessions.revokeUserFamilies(userId, ctx.clock.now());
      return user;
    },
    enable: (userId) => update(userId, { disabled: false }),
    delete: (userId) => users.deleteUser(userId),
    listSessions: (userId) => ctx.storage.sessions.listFamilies(userId, ctx.clock.now()),
  };
}
