/**
 * The SQL {@link UserStore}. Uniqueness of `usernameKey` is the database's unique
 * constraint, so concurrent creates of one key leave exactly one row; the others fail with
 * `23505`, which the error mapping turns into `username_taken`.
 */

import type { UserStore } from '@auth/core';
import type { TableNames } from './names.js';
import type { Queryable } from './queryable.js';
import { ms, toUser, USER_COLUMNS } from './rows.js';

/** Creates the {@link UserStore} over `db`; errors are mapped by the caller. */
export function sqlUserStore(db: Queryable, t: TableNames): UserStore {
  return {
    async createUser(user) {
      const rows = await db.query(
        `INSERT INTO ${t.users} (${USER_COLUMNS})
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8)
         RETURNING ${USER_COLUMNS}`,
        [
          user.id,
          user.username,
          user.usernameKey,
          user.passwordHash,
          [...user.roles],
          user.disabled,
          ms(user.createdAt, 'createdAt'),
          ms(user.updatedAt, 'updatedAt'),
        ],
      );
      return toUser(rows[0]!);
    },

    async findUserByUsername(usernameKey) {
      const rows = await db.query(
        `SELECT ${USER_COLUMNS} FROM ${t.users} WHERE username_key = $1`,
        [usernameKey],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async findUserById(id) {
      const rows = await db.query(`SELECT ${USER_COLUMNS} FROM ${t.users} WHERE id = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async updateUser(id, patch, now) {
      // A null parameter leaves its column unchanged.
      const rows = await db.query(
        `UPDATE ${t.users} SET
           password_hash = COALESCE($2::text, password_hash),
           roles = COALESCE($3::text[], roles),
           disabled = COALESCE($4::boolean, disabled),
           updated_at = $5
         WHERE id = $1
         RETURNING ${USER_COLUMNS}`,
        [
          id,
          patch.passwordHash ?? null,
          patch.roles === undefined ? null : [...patch.roles],
          patch.disabled ?? null,
          ms(now, 'now'),
        ],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async deleteUser(id) {
      // Families reference users ON DELETE CASCADE, and tokens families: one statement
      // removes the user and every session of theirs.
      const rows = await db.query(`DELETE FROM ${t.users} WHERE id = $1 RETURNING id`, [id]);
      return rows.length > 0;
    },
  };
}
