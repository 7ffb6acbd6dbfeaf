/** The refresh-token cases of the storage contract: create, spend, and its races. */

import { expect } from 'vitest';
import {
  type ContractCase,
  DAY,
  HOUR,
  MINUTE,
  newFamily,
  newToken,
  newUser,
  T0,
  uid,
} from './contract-fixtures.js';

/** Cases of `SessionStore.createFamily` and `SessionStore.spendToken`, by name. */
export const tokenCases = {
  'sessions: createFamily stores the family and its first token': async (s) => {
    const { id: userId } = await s.users.createUser(newUser());
    const familyId = uid();
    const first = newToken(T0 + DAY);
    await s.sessions.createFamily({ id: familyId, userId, createdAt: T0 }, first);
    expect(await s.sessions.findFamily(familyId)).toEqual({
      id: familyId,
      userId,
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt: T0 + DAY,
      revokedAt: null,
    });
    expect(await s.sessions.findToken(first.tokenHash)).toEqual({
      tokenHash: first.tokenHash,
      familyId,
      userId,
      createdAt: T0,
      expiresAt: T0 + DAY,
      spentAt: null,
    });
    expect(await s.sessions.findFamily(uid())).toBeNull();
    expect(await s.sessions.findToken(newToken().tokenHash)).toBeNull();
  },

  'sessions: spendToken rotates a live token, then reports it spent': async (s) => {
    const { userId, familyId, tokenHash } = await newFamily(s);
    const next = newToken(T0 + 2 * DAY);
    const spent = { tokenHash, familyId, userId, createdAt: T0, expiresAt: T0 + DAY };
    expect(await s.sessions.spendToken(tokenHash, next, T0 + HOUR)).toEqual({
      status: 'rotated',
      token: { ...spent, spentAt: T0 + HOUR },
    });
    expect(await s.sessions.findToken(tokenHash)).toEqual({ ...spent, spentAt: T0 + HOUR });
    expect(await s.sessions.findToken(next.tokenHash)).toEqual({
      tokenHash: next.tokenHash,
      familyId,
      userId,
      createdAt: T0 + HOUR,
      expiresAt: T0 + 2 * DAY,
      spentAt: null,
    });
    expect(await s.sessions.findFamily(familyId)).toMatchObject({
      lastUsedAt: T0 + HOUR,
      expiresAt: T0 + 2 * DAY,
      revokedAt: null,
    });
    const again = newToken(T0 + 2 * DAY);
    expect(await s.sessions.spendToken(tokenHash, again, T0 + 2 * HOUR)).toEqual({
      status: 'spent',
      token: { ...spent, spentAt: T0 + HOUR },
    });
    expect(await s.sessions.findToken(again.tokenHash)).toBeNull();
    const third = await s.sessions.spendToken(next.tokenHash, newToken(), T0 + 3 * HOUR);
    expect(third.status).toBe('rotated');
  },

  'sessions: spendToken of an unknown token resolves not_found': async (s) => {
    const next = newToken();
    expect(await s.sessions.spendToken(newToken().tokenHash, next, T0)).toEqual({
      status: 'not_found',
    });
    expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
  },

  'sessions: of 10 parallel spends of one token, exactly one rotates': async (s) => {
    const { familyId, tokenHash } = await newFamily(s);
    const nexts = Array.from({ length: 10 }, () => newToken(T0 + 2 * DAY));
    const results = await Promise.all(
      nexts.map((next) => s.sessions.spendToken(tokenHash, next, T0 + MINUTE)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((status) => status === 'rotated')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'spent')).toHaveLength(9);
    const stored = await Promise.all(nexts.map((next) => s.sessions.findToken(next.tokenHash)));
    expect(stored.map((token) => token !== null)).toEqual(
      statuses.map((status) => status === 'rotated'),
    );
    expect(await s.sessions.findToken(tokenHash)).toMatchObject({ spentAt: T0 + MINUTE });
    expect(await s.sessions.findFamily(familyId)).toMatchObject({ lastUsedAt: T0 + MINUTE });
  },

  'sessions: an expired token is not spent': async (s) => {
    const { familyId, tokenHash } = await newFamily(s, { expiresAt: T0 + MINUTE });
    const next = newToken();
    const result = await s.sessions.spendToken(tokenHash, next, T0 + MINUTE);
    expect(result).toMatchObject({ status: 'expired', token: { tokenHash, spentAt: null } });
    expect(await s.sessions.findToken(tokenHash)).toMatchObject({ spentAt: null });
    expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    expect(await s.sessions.findFamily(familyId)).toMatchObject({ lastUsedAt: T0 });
  },

  'sessions: a token of a revoked family reports revoked, live or spent': async (s) => {
    const { familyId, tokenHash } = await newFamily(s);
    const live = newToken();
    await s.sessions.spendToken(tokenHash, live, T0 + MINUTE);
    expect(await s.sessions.revokeFamily(familyId, T0 + HOUR)).toBe(true);
    for (const hash of [live.tokenHash, tokenHash]) {
      const next = newToken();
      const result = await s.sessions.spendToken(hash, next, T0 + 2 * HOUR);
      expect(result).toMatchObject({ status: 'revoked', token: { tokenHash: hash, familyId } });
      expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    }
    expect(await s.sessions.findToken(live.tokenHash)).toMatchObject({ spentAt: null });
  },
} satisfies Record<string, ContractCase>;
