/**
 * The SQL {@link SessionStore}. Every operation that changes the tokens of a family first
 * locks the family's row (`SELECT … FOR UPDATE`), so spends, retries and revocations
 * of one family run one after another and always lock in the same order (family, then
 * tokens): no deadlock, and never two live tokens from one rotation. The spend itself is
 * a conditional `UPDATE … WHERE spent_at IS NULL AND expires_at > $now … RETURNING`; the
 * next token is inserted in the same statement and transaction, only when that matched.
 */

import { AuthError, type SessionStore, type SpendResult } from '@auth/core';
import type { TableNames } from './names.js';
import type { Queryable, QueryRunner } from './queryable.js';
import { FAMILY_COLUMNS, ms, TOKEN_COLUMNS, toFamily, toNumber, toToken } from './rows.js';

const NOT_FOUND: SpendResult = Object.freeze({ status: 'not_found' });

/** Creates the {@link SessionStore} over `db`; errors are mapped by the caller. */
export function sqlSessionStore(db: Queryable, t: TableNames): SessionStore {
  /** Why `tokenHash` was not spent, read after the conditional update matched nothing. */
  async function refusal(tx: QueryRunner, tokenHash: string, now: number): Promise<SpendResult> {
    const rows = await tx.query(
      `SELECT ${prefixed('t', TOKEN_COLUMNS)}, f.id AS live_family, f.revoked_at AS family_revoked_at
       FROM ${t.tokens} t LEFT JOIN ${t.families} f ON f.id = t.family_id
       WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return NOT_FOUND;
    const token = toToken(row);
    if (row.live_family === null || row.family_revoked_at !== null) return result('revoked', row);
    if (token.expiresAt <= now) return result('expired', row);
    if (token.spentAt !== null) return result('spent', row);
    // Unreachable while the family row is locked: the update would have matched.
    throw new AuthError('internal_error', { description: 'refresh token changed during spend' });
  }

  return {
    async createFamily(family, first) {
      await db.query(
        `WITH f AS (
           INSERT INTO ${t.families} (id, user_id, created_at, last_used_at, expires_at)
           VALUES ($1, $2, $3, $3, $5)
           RETURNING id, user_id
         )
         INSERT INTO ${t.tokens} (token_hash, family_id, user_id, created_at, expires_at)
         SELECT $4, id, user_id, $3, $5 FROM f`,
        [
          family.id,
          family.userId,
          ms(family.createdAt, 'createdAt'),
          first.tokenHash,
          ms(first.expiresAt, 'expiresAt'),
        ],
      );
    },

    async spendToken(tokenHash, next, now) {
      ms(now, 'now');
      ms(next.expiresAt, 'expiresAt');
      return db.transaction(async (tx) => {
        // Lock the token's family; a concurrent spend of the same token waits here.
        const locked = await tx.query(
          `SELECT f.id FROM ${t.tokens} t JOIN ${t.families} f ON f.id = t.family_id
           WHERE t.token_hash = $1 FOR UPDATE OF f`,
          [tokenHash],
        );
        if (locked.length === 0) return NOT_FOUND;
        // A new statement sees what the spend that held the lock before us committed.
        const spent = await tx.query(
          `WITH spent AS (
             UPDATE ${t.tokens} SET spent_at = $2
             WHERE token_hash = $1 AND spent_at IS NULL AND expires_at > $2
               AND EXISTS (
                 SELECT 1 FROM ${t.families} f
                 WHERE f.id = family_id AND f.revoked_at IS NULL
               )
             RETURNING ${TOKEN_COLUMNS}
           ),
           inserted AS (
             INSERT INTO ${t.tokens} (token_hash, family_id, user_id, created_at, expires_at)
             SELECT $3, family_id, user_id, $2, $4 FROM spent
           ),
           touched AS (
             UPDATE ${t.families} f SET last_used_at = $2, expires_at = $4
             FROM spent WHERE f.id = spent.family_id
           )
           SELECT ${TOKEN_COLUMNS} FROM spent`,
          [tokenHash, now, next.tokenHash, next.expiresAt],
        );
        return spent[0] ? result('rotated', spent[0]) : refusal(tx, tokenHash, now);
      });
    },

    async retryToken(tokenHash, next, now) {
      ms(now, 'now');
      ms(next.expiresAt, 'expiresAt');
      return db.transaction(async (tx) => {
        const locked = await tx.query(
          `SELECT f.id FROM ${t.tokens} t JOIN ${t.families} f ON f.id = t.family_id
           WHERE t.token_hash = $1 AND f.revoked_at IS NULL FOR UPDATE OF f`,
          [tokenHash],
        );
        if (locked.length === 0) return false;
        // Under the family's lock: supersede the live tokens and insert `next` only when
        // the retried token was rotated (spent_at < expires_at; a superseded one has the
        // two equal) and no token issued since its spend has been rotated. One snapshot.
        const retried = await tx.query(
          `WITH retried AS (
             SELECT p.family_id, p.user_id FROM ${t.tokens} p
             WHERE p.token_hash = $1 AND p.spent_at IS NOT NULL AND p.spent_at < p.expires_at
               AND NOT EXISTS (
                 SELECT 1 FROM ${t.tokens} o
                 WHERE o.family_id = p.family_id AND o.token_hash <> p.token_hash
                   AND o.spent_at IS NOT NULL AND o.spent_at < o.expires_at
                   AND o.created_at >= p.spent_at
               )
           ),
           superseded AS (
             UPDATE ${t.tokens} SET spent_at = $2, expires_at = $2
             WHERE family_id = (SELECT family_id FROM retried) AND spent_at IS NULL
           ),
           inserted AS (
             INSERT INTO ${t.tokens} (token_hash, family_id, user_id, created_at, expires_at)
             SELECT $3, family_id, user_id, $2, $4 FROM retried
           ),
           touched AS (
             UPDATE ${t.families} f SET last_used_at = $2, expires_at = $4
             FROM retried WHERE f.id = retried.family_id
           )
           SELECT family_id FROM retried`,
          [tokenHash, now, next.tokenHash, next.expiresAt],
        );
        return retried.length > 0;
      });
    },

    async findToken(tokenHash) {
      const rows = await db.query(
        `SELECT ${TOKEN_COLUMNS} FROM ${t.tokens} WHERE token_hash = $1`,
        [tokenHash],
      );
      return rows[0] ? toToken(rows[0]) : null;
    },

    async findFamily(familyId) {
      const rows = await db.query(`SELECT ${FAMILY_COLUMNS} FROM ${t.families} WHERE id = $1`, [
        familyId,
      ]);
      return rows[0] ? toFamily(rows[0]) : null;
    },

    async revokeFamily(familyId, now) {
      const rows = await db.query(
        `UPDATE ${t.families} SET revoked_at = $2
         WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
        [familyId, ms(now, 'now')],
      );
      return rows.length > 0;
    },

    async revokeUserFamilies(userId, now) {
      const rows = await db.query(
        `UPDATE ${t.families} SET revoked_at = $2
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
        [userId, ms(now, 'now')],
      );
      return rows.length;
    },

    async listFamilies(userId, now) {
      const rows = await db.query(
        `SELECT ${FAMILY_COLUMNS} FROM ${t.families}
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
         ORDER BY created_at, id COLLATE "C"`,
        [userId, ms(now, 'now')],
      );
      return rows.map(toFamily);
    },

    async prune(now) {
      ms(now, 'now');
      // Expired families go with all their tokens; expired tokens of live families go
      // too. A revoked family stays until it expires, so its tokens keep answering
      // `revoked` (reuse detection) for as long as they could have been presented.
      // Families are locked before tokens, the order every other operation takes; one
      // in use right now (SKIP LOCKED) is left for the next prune.
      return db.transaction(async (tx) => {
        const doomed = await tx.query(
          `SELECT id FROM ${t.families} WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED`,
          [now],
        );
        const ids = doomed.map((row) => String(row.id));
        const rows = await tx.query(
          `WITH tokens AS (
             DELETE FROM ${t.tokens}
             WHERE family_id = ANY($2::text[]) OR expires_at <= $1
             RETURNING 1
           ),
           families AS (
             DELETE FROM ${t.families} WHERE id = ANY($2::text[]) RETURNING 1
           )
           SELECT (SELECT count(*) FROM tokens) + (SELECT count(*) FROM families) AS removed`,
          [now, ids],
        );
        return toNumber(rows[0]?.removed ?? 0);
      });
    },
  };
}

function result(status: 'rotated' | 'spent' | 'expired' | 'revoked', row: Record<string, unknown>) {
  return Object.freeze({ status, token: toToken(row) });
}

/** `a, b` with table alias `alias`: `alias.a, alias.b`. */
function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}
