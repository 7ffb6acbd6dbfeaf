/**
 * The family lock, shown deterministically on a real server: `spendToken` and `retryToken`
 * wait for another transaction that holds the lock on the token's family row, and then act
 * on what that transaction committed. Without the lock, a grace retry of a parent and a
 * spend of its child could each commit a live token (the race `races.test.ts` throws
 * dice at); here the other transaction is held open, so no timing is involved.
 * PGlite has a single connection, so these cases need `DATABASE_URL`.
 */

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgAuthStorage, pgStorage } from '../src/index.js';
import {
  DATABASE_URL,
  dropSchema,
  NO_SERVER,
  newToken,
  seedFamily,
  uniqueSchema,
} from './helpers.js';

const T0 = 1_767_225_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Queries made while waiting for the store's backend to block, before giving up. */
const MAX_POLLS = 2_000;

const token = () => newToken(T0 + DAY);

/** A settled flag next to a promise, read without awaiting it. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { promise: tracked, settled: () => settled };
}

describe.skipIf(!DATABASE_URL)(
  `family lock on postgres${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
  () => {
    const schema = uniqueSchema();
    let s: PgAuthStorage;
    let holder: pg.Client;
    let holderPid: number;

    beforeAll(async () => {
      s = await pgStorage({ connectionString: DATABASE_URL, schema });
      holder = new pg.Client({ connectionString: DATABASE_URL });
      await holder.connect();
      const [row] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      holderPid = Number(row?.pid);
    });
    afterAll(async () => {
      await holder?.end();
      await s?.close();
      await dropSchema(schema);
    });

    const family = () => seedFamily(s, T0, T0 + DAY);

    /** Opens a transaction on the holder's connection that locks the family row. */
    async function lockFamily(familyId: string): Promise<void> {
      await holder.query('BEGIN');
      const rows = await holder.query(
        `SELECT id FROM "${schema}"."session_families" WHERE id = $1 FOR UPDATE`,
        [familyId],
      );
      expect(rows.rowCount).toBe(1);
    }

    /**
     * Resolves once some backend is blocked by the holder's transaction; fails when the
     * operation settles first, i.e. it never waited for the family's lock.
     */
    async function blockedByHolder(operation: { settled: () => boolean }): Promise<void> {
      for (let poll = 0; poll < MAX_POLLS; poll++) {
        const blocked = await holder.query(
          'SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
          [holderPid],
        );
        if (blocked.rowCount) return;
        if (operation.settled()) throw new Error('finished without waiting for the family lock');
      }
      throw new Error(`no backend blocked by the family lock after ${MAX_POLLS} polls`);
    }

    it('a spend waits for a revocation holding the family and then answers revoked', async () => {
      const { familyId, first } = await family();
      await lockFamily(familyId);
      const next = token();
      const spend = track(s.sessions.spendToken(first.tokenHash, next, T0 + MINUTE));
      try {
        await blockedByHolder(spend);
        await holder.query(
          `UPDATE "${schema}"."session_families" SET revoked_at = $2 WHERE id = $1`,
          [familyId, T0 + 1],
        );
      } finally {
        await holder.query('COMMIT');
      }
      expect(await spend.promise).toMatchObject({ status: 'revoked' });
      expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    });

    it('a grace retry waits for a revocation holding the family and then replaces nothing', async () => {
      const { familyId, first } = await family();
      const child = token();
      expect(await s.sessions.spendToken(first.tokenHash, child, T0 + MINUTE)).toMatchObject({
        status: 'rotated',
      });
      await lockFamily(familyId);
      const replacement = token();
      const retry = track(s.sessions.retryToken(first.tokenHash, replacement, T0 + MINUTE + 1));
      try {
        await blockedByHolder(retry);
        await holder.query(
          `UPDATE "${schema}"."session_families" SET revoked_at = $2 WHERE id = $1`,
          [familyId, T0 + MINUTE],
        );
      } finally {
        await holder.query('COMMIT');
      }
      expect(await retry.promise).toBe(false);
      expect(await s.sessions.findToken(replacement.tokenHash)).toBeNull();
      expect(await s.sessions.findToken(child.tokenHash)).toMatchObject({ spentAt: null });
    });

    it('a grace retry waits for a spend of the child holding the family and then replaces nothing', async () => {
      const { familyId, first } = await family();
      const child = token();
      await s.sessions.spendToken(first.tokenHash, child, T0 + MINUTE);
      await lockFamily(familyId);
      const replacement = token();
      const retry = track(s.sessions.retryToken(first.tokenHash, replacement, T0 + MINUTE + 2));
      const grandchild = token();
      try {
        await blockedByHolder(retry);
        // The child's spend, done by hand inside the holder's transaction as spendToken does.
        await holder.query(
          `UPDATE "${schema}"."refresh_tokens" SET spent_at = $2 WHERE token_hash = $1`,
          [child.tokenHash, T0 + MINUTE + 1],
        );
        await holder.query(
          `INSERT INTO "${schema}"."refresh_tokens" (token_hash, family_id, user_id, created_at, expires_at)
           SELECT $2, family_id, user_id, $3, $4 FROM "${schema}"."refresh_tokens" WHERE token_hash = $1`,
          [child.tokenHash, grandchild.tokenHash, T0 + MINUTE + 1, grandchild.expiresAt],
        );
      } finally {
        await holder.query('COMMIT');
      }
      // The child was rotated after the parent's spend: the parent is no longer retryable.
      expect(await retry.promise).toBe(false);
      expect(await s.sessions.findToken(replacement.tokenHash)).toBeNull();
      expect(await s.sessions.findToken(grandchild.tokenHash)).toMatchObject({ spentAt: null });
    });
  },
);
