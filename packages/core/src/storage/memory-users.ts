/**
 * The in-memory {@link UserStore}: two maps, every check-and-write done synchronously so
 * concurrent calls cannot interleave between the uniqueness check and the insert.
 */

import { AuthError } from '../errors.js';
import type { UserPatch, UserRecord, UserStore } from './types.js';

/** Options of {@link memoryUserStore}. */
export interface MemoryUserStoreOptions {
  /**
   * Called synchronously when a user is deleted, before `deleteUser` resolves; the
   * composed {@link memoryStorage} uses it to remove the user's sessions. Default: none.
   */
  onDelete?: (userId: string) => void;
}

/**
 * Creates an in-memory {@link UserStore}. Records are stored and returned frozen, so no
 * caller can change stored state through an object it was given or passed in.
 * @param options - see {@link MemoryUserStoreOptions}
 * @example
 * ```ts
 * const users = memoryUserStore();
 * await users.createUser(record);
 * await users.findUserByUsername(record.usernameKey); // the frozen record
 * ```
 */
export function memoryUserStore(options: MemoryUserStoreOptions = {}): UserStore {
  const byId = new Map<string, UserRecord>();
  const idByKey = new Map<string, string>();

  return {
    async createUser(user) {
      if (idByKey.has(user.usernameKey)) throw new AuthError('username_taken');
      if (byId.has(user.id)) {
        throw new AuthError('internal_error', { description: 'a user with this id exists' });
      }
      const record = freezeUser(user);
      byId.set(record.id, record);
      idByKey.set(record.usernameKey, record.id);
      return record;
    },

    async findUserByUsername(usernameKey) {
      const id = idByKey.get(usernameKey);
      return id === undefined ? null : (byId.get(id) ?? null);
    },

    async findUserById(id) {
      return byId.get(id) ?? null;
    },

    async updateUser(id, patch, now) {
      const current = byId.get(id);
      if (!current) return null;
      const record = freezeUser({ ...current, ...definedFields(patch), updatedAt: now });
      byId.set(id, record);
      return record;
    },

    async deleteUser(id) {
      const current = byId.get(id);
      if (!current) return false;
      byId.delete(id);
      idByKey.delete(current.usernameKey);
      options.onDelete?.(id);
      return true;
    },
  };
}

/** The fields of `patch` that are set; `undefined` leaves a field unchanged. */
function definedFields(patch: UserPatch): UserPatch {
  const fields: UserPatch = {};
  if (patch.passwordHash !== undefined) fields.passwordHash = patch.passwordHash;
  if (patch.roles !== undefined) fields.roles = patch.roles;
  if (patch.disabled !== undefined) fields.disabled = patch.disabled;
  return fields;
}

/** A frozen copy of the known fields of `user`, with its own frozen roles array. */
function freezeUser(user: UserRecord): UserRecord {
  return Object.freeze({
    id: user.id,
    username: user.username,
    usernameKey: user.usernameKey,
    passwordHash: user.passwordHash,
    roles: Object.freeze([...user.roles]),
    disabled: user.disabled,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  });
}
