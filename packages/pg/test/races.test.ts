/**
 * Races beyond the core's contract, on every backend: spends, grace-window replacements,
 * revocations, deletions and prunes of one family at once never deadlock and never leave
 * two live tokens; `prune(now)` on the whole store empties what has expired.
 */

import type { AuthStorage } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgAuthStorage, pgliteStorage, pgStorage } from '../src/index.js';
import {
  DATABASE_URL,
  dropSchema,
  NO_SERVER,
  newToken,
  seedFamily,
  uniqueId,
  uniqueSchema,
} from './helpers.js';

const T0 = 1_767_225_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const token = (expiresAt = T0 + DAY) => newToken(expiresAt);
const family = (s: AuthStorage, expiresAt = T0 + DAY) => seedFamily(s, T0, expiresAt);

function races(name: string, create: () => Promise<PgAuthStorage>, cleanup?: () => Promise<void>) {
  describe(`races: ${name}`, () => {
    let s: PgAuthStorage;
    beforeAll(async () => {
      s = await create();
    });
    afterAll(async () => {
      await s?.close();
      await cleanup?.();
    });

    it('spends and grace retries of one family leave exactly one live token', async () => {
      for (let round = 0; round < 10; round++) {
        const { first } = await family(s);
        const nexts = Array.from({ length: 6 }, () => token());
        await Promise.all(
          nexts.map((next, i) =>
            i % 2 === 0
              ? s.sessions.spendToken(first.tokenHash, next, T0 + MINUTE)
              : s.sessions.retryToken(first.tokenHash, next, T0 + MINUTE),
          ),
        );
        const hashes = [first.tokenHash, ...nexts.map((next) => next.tokenHash)];
        const stored = await Promise.all(hashes.map((hash) => s.sessions.findToken(hash)));
        const live = stored.filter((t) => t !== null && t.spentAt === null);
        expect(live).toHaveLength(1);
      }
    });

    it('revoke, delete and prune racing spends neither deadlock nor fail', async () => {
      const rounds = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const { userId, familyId, first } = await family(s, T0 + MINUTE);
          const results = await Promise.all([
            s.sessions.spendToken(first.tokenHash, token(), T0 + 1),
            s.sessions.retryToken(first.tokenHash, token(), T0 + 2),
            s.sessions.revokeFamily(familyId, T0 + 3),
            s.sessions.spendToken(first.tokenHash, token(), T0 + 4),
            s.sessions.prune(T0 + 2 * DAY),
            s.users.deleteUser(userId),
          ]);
          return { familyId, results };
        }),
      );
      for (const { familyId } of rounds) {
        expect(await s.sessions.findFamily(familyId)).toBeNull();
      }
    });

    it('prune(now) on the store removes expired sessions and ended windows', async () => {
      const expired = await family(s, T0 + MINUTE);
      const live = await family(s, T0 + DAY);
      await s.rateLimits.hit(uniqueId('ended'), MINUTE, T0, 5);
      const open = uniqueId('open');
      await s.rateLimits.hit(open, DAY, T0, 5);
      const removed = await s.prune(T0 + 2 * MINUTE);
      expect(removed).toBeGreaterThanOrEqual(3);
      expect(await s.sessions.findFamily(expired.familyId)).toBeNull();
      expect(await s.sessions.findToken(expired.first.tokenHash)).toBeNull();
      expect(await s.sessions.findFamily(live.familyId)).not.toBeNull();
      expect(await s.rateLimits.peek(open, T0 + 2 * MINUTE)).toMatchObject({ count: 1 });
      expect(await s.prune(T0 + 2 * MINUTE)).toBe(0);
    });
  });
}

races('pglite', () => pgliteStorage({ schema: uniqueSchema() }));

describe.skipIf(!DATABASE_URL)(
  `races on postgres${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
  () => {
    const schema = uniqueSchema();
    races(
      'postgres',
      () => pgStorage({ connectionString: DATABASE_URL, schema }),
      () => dropSchema(schema),
    );
  },
);
