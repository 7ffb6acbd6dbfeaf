/** The session-family cases of the storage contract: retry, revoke, list, delete, prune. */

import { expect } from 'vitest';
import type { SessionFamily } from '../storage/types.js';
import {
  type ContractCase,
  DAY,
  HOUR,
  MINUTE,
  newFamily,
  newToken,
  scribble,
  T0,
  uid,
} from './contract-fixtures.js';

const byId = (a: SessionFamily, b: SessionFamily): number => (a.id < b.id ? -1 : 1);

/** Cases of the family operations of `SessionStore`, by name. */
export const familyCases = {
  'sessions: retryToken supersedes the live token, for as many retries as come': async (s) => {
    const { familyId, tokenHash: first } = await newFamily(s);
    const second = newToken();
    await s.sessions.spendToken(first, second, T0 + HOUR);
    const third = newToken(T0 + 3 * DAY);
    expect(await s.sessions.retryToken(first, third, T0 + 2 * HOUR)).toBe(true);
    expect(await s.sessions.findToken(first)).toMatchObject({ spentAt: T0 + HOUR });
    // Superseded: spent and expired at the retry, so it reads as expired from then on.
    expect(await s.sessions.findToken(second.tokenHash)).toMatchObject({
      spentAt: T0 + 2 * HOUR,
      expiresAt: T0 + 2 * HOUR,
    });
    expect(await s.sessions.findToken(third.tokenHash)).toMatchObject({
      familyId,
      createdAt: T0 + 2 * HOUR,
      expiresAt: T0 + 3 * DAY,
      spentAt: null,
    });
    expect(await s.sessions.findFamily(familyId)).toMatchObject({
      lastUsedAt: T0 + 2 * HOUR,
      expiresAt: T0 + 3 * DAY,
    });
    const late = T0 + 3 * HOUR;
    expect((await s.sessions.spendToken(second.tokenHash, newToken(), late)).status).toBe(
      'expired',
    );
    // A superseded token can't be retried either.
    expect(await s.sessions.retryToken(second.tokenHash, newToken(), late)).toBe(false);
    // The same parent retried again: the third is superseded in its turn.
    const fourth = newToken(T0 + 3 * DAY);
    expect(await s.sessions.retryToken(first, fourth, late)).toBe(true);
    expect(await s.sessions.findToken(third.tokenHash)).toMatchObject({
      spentAt: late,
      expiresAt: late,
    });
    expect((await s.sessions.spendToken(fourth.tokenHash, newToken(), late)).status).toBe(
      'rotated',
    );
  },

  'sessions: retryToken refuses once the successor was used, and live or unknown tokens': async (
    s,
  ) => {
    const { tokenHash: first } = await newFamily(s);
    const second = newToken();
    const third = newToken();
    await s.sessions.spendToken(first, second, T0 + HOUR);
    // The successor rotated within the same millisecond still counts as used.
    await s.sessions.spendToken(second.tokenHash, third, T0 + HOUR);
    const next = newToken();
    expect(await s.sessions.retryToken(first, next, T0 + HOUR + 1)).toBe(false);
    expect(await s.sessions.retryToken(third.tokenHash, next, T0 + HOUR + 1)).toBe(false);
    expect(await s.sessions.retryToken(newToken().tokenHash, next, T0 + HOUR + 1)).toBe(false);
    expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    expect(await s.sessions.findToken(third.tokenHash)).toMatchObject({ spentAt: null });
    // The last rotated one may still be retried.
    expect(await s.sessions.retryToken(second.tokenHash, next, T0 + HOUR + 2)).toBe(true);
  },

  'sessions: retryToken refuses a revoked family': async (s) => {
    const { familyId, tokenHash } = await newFamily(s);
    const second = newToken();
    await s.sessions.spendToken(tokenHash, second, T0 + MINUTE);
    await s.sessions.revokeFamily(familyId, T0 + 2 * MINUTE);
    const next = newToken();
    expect(await s.sessions.retryToken(tokenHash, next, T0 + 3 * MINUTE)).toBe(false);
    expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    expect(await s.sessions.findToken(second.tokenHash)).toMatchObject({ spentAt: null });
  },

  'sessions: revokeFamily revokes a family once': async (s) => {
    const { familyId } = await newFamily(s);
    expect(await s.sessions.revokeFamily(familyId, T0 + HOUR)).toBe(true);
    expect(await s.sessions.findFamily(familyId)).toMatchObject({ revokedAt: T0 + HOUR });
    expect(await s.sessions.revokeFamily(familyId, T0 + 2 * HOUR)).toBe(false);
    expect(await s.sessions.findFamily(familyId)).toMatchObject({ revokedAt: T0 + HOUR });
    expect(await s.sessions.revokeFamily(uid(), T0)).toBe(false);
  },

  'sessions: revokeUserFamilies counts the families it newly revokes': async (s) => {
    const { userId, familyId: first } = await newFamily(s);
    const others = [await newFamily(s, { userId }), await newFamily(s, { userId })];
    const stranger = await newFamily(s);
    await s.sessions.revokeFamily(first, T0 + MINUTE);
    expect(await s.sessions.revokeUserFamilies(userId, T0 + HOUR)).toBe(2);
    expect(await s.sessions.findFamily(first)).toMatchObject({ revokedAt: T0 + MINUTE });
    for (const { familyId } of others) {
      expect(await s.sessions.findFamily(familyId)).toMatchObject({ revokedAt: T0 + HOUR });
    }
    expect(await s.sessions.findFamily(stranger.familyId)).toMatchObject({ revokedAt: null });
    expect(await s.sessions.revokeUserFamilies(userId, T0 + 2 * HOUR)).toBe(0);
    expect(await s.sessions.revokeUserFamilies(uid(), T0)).toBe(0);
  },

  'sessions: listFamilies lists live families only': async (s) => {
    const live = await newFamily(s);
    const { userId } = live;
    const revoked = await newFamily(s, { userId });
    const expiring = await newFamily(s, { userId, expiresAt: T0 + HOUR });
    const rotated = await newFamily(s, { userId, expiresAt: T0 + HOUR });
    await newFamily(s);
    await s.sessions.revokeFamily(revoked.familyId, T0 + MINUTE);
    await s.sessions.spendToken(rotated.tokenHash, newToken(T0 + 2 * DAY), T0 + MINUTE);
    const ids = async (now: number) =>
      (await s.sessions.listFamilies(userId, now)).map((family) => family.id).sort();
    const atHour = [live.familyId, rotated.familyId].sort();
    expect(await ids(T0 + HOUR)).toEqual(atHour);
    expect(await ids(T0 + 2 * MINUTE)).toEqual([...atHour, expiring.familyId].sort());
    const listed = (await s.sessions.listFamilies(userId, T0 + HOUR)).sort(byId);
    const found = await Promise.all(atHour.map((id) => s.sessions.findFamily(id)));
    expect(listed).toEqual(found);
    expect(await s.sessions.listFamilies(uid(), T0)).toEqual([]);
  },

  "sessions: deleteUser removes the user's sessions": async (s) => {
    const { userId, familyId, tokenHash } = await newFamily(s);
    const next = newToken();
    await s.sessions.spendToken(tokenHash, next, T0 + MINUTE);
    const stranger = await newFamily(s);
    expect(await s.users.deleteUser(userId)).toBe(true);
    expect(await s.sessions.findFamily(familyId)).toBeNull();
    expect(await s.sessions.findToken(tokenHash)).toBeNull();
    expect(await s.sessions.findToken(next.tokenHash)).toBeNull();
    expect(await s.sessions.listFamilies(userId, T0)).toEqual([]);
    expect(await s.sessions.spendToken(next.tokenHash, newToken(), T0 + HOUR)).toEqual({
      status: 'not_found',
    });
    expect(await s.sessions.findFamily(stranger.familyId)).not.toBeNull();
    expect(await s.sessions.findToken(stranger.tokenHash)).not.toBeNull();
  },

  'sessions: prune removes expired tokens and families, keeps live ones': async (s) => {
    const expired = await newFamily(s, { expiresAt: T0 + MINUTE });
    const rotated = await newFamily(s, { expiresAt: T0 + 2 * MINUTE });
    const next = newToken(T0 + DAY);
    await s.sessions.spendToken(rotated.tokenHash, next, T0 + MINUTE);
    const live = await newFamily(s);
    expect(await s.sessions.prune(T0 + HOUR)).toBeGreaterThanOrEqual(3);
    expect(await s.sessions.findFamily(expired.familyId)).toBeNull();
    expect(await s.sessions.findToken(expired.tokenHash)).toBeNull();
    expect(await s.sessions.findToken(rotated.tokenHash)).toBeNull();
    expect(await s.sessions.findToken(next.tokenHash)).toMatchObject({ spentAt: null });
    expect(await s.sessions.findFamily(rotated.familyId)).toMatchObject({ expiresAt: T0 + DAY });
    expect(await s.sessions.findFamily(live.familyId)).not.toBeNull();
    expect(await s.sessions.findToken(live.tokenHash)).toMatchObject({ spentAt: null });
    const result = await s.sessions.spendToken(next.tokenHash, newToken(), T0 + 2 * HOUR);
    expect(result.status).toBe('rotated');
  },

  'sessions: records are not live references': async (s) => {
    const { userId, familyId, tokenHash } = await newFamily(s);
    const family = await s.sessions.findFamily(familyId);
    const token = await s.sessions.findToken(tokenHash);
    const [familyCopy, tokenCopy] = structuredClone([family, token]);
    scribble(family);
    scribble(token);
    const list = await s.sessions.listFamilies(userId, T0);
    scribble(list);
    expect(await s.sessions.findFamily(familyId)).toEqual(familyCopy);
    expect(await s.sessions.findToken(tokenHash)).toEqual(tokenCopy);
    expect(await s.sessions.listFamilies(userId, T0)).toEqual([familyCopy]);
    const result = await s.sessions.spendToken(tokenHash, newToken(), T0 + MINUTE);
    scribble(result);
    expect(await s.sessions.findToken(tokenHash)).toEqual({ ...tokenCopy, spentAt: T0 + MINUTE });
  },
} satisfies Record<string, ContractCase>;
