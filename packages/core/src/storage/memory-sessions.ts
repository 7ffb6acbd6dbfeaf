/**
 * The in-memory {@link SessionStore}: refresh-token families and their tokens. Each
 * operation checks and writes synchronously, so of concurrent spends of one token exactly
 * one rotates, and the losers store nothing.
 */

import { AuthError } from '../errors.js';
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  SessionFamily,
  SessionStore,
  SpendResult,
} from './types.js';

/** A {@link SessionStore} that can also drop every session of a user at once. */
export interface MemorySessionStore extends SessionStore {
  /** Deletes every family and token of `userId`, synchronously; returns how many rows went. */
  deleteUserSessions(userId: string): number;
}

interface FamilyEntry {
  record: SessionFamily;
  readonly tokens: Set<string>;
}

const NOT_FOUND: SpendResult = Object.freeze({ status: 'not_found' });

/**
 * Creates an in-memory {@link SessionStore}. Records are stored and returned frozen.
 * `prune(now)` deletes expired tokens and expired families with all their tokens; a
 * revoked family is kept until it expires, so its tokens keep answering `revoked`.
 * @example
 * ```ts
 * const sessions = memorySessionStore();
 * await sessions.createFamily({ id, userId, createdAt: now }, { tokenHash, expiresAt });
 * const result = await sessions.spendToken(tokenHash, next, now); // { status: 'rotated', … }
 * ```
 */
export function memorySessionStore(): MemorySessionStore {
  const families = new Map<string, FamilyEntry>();
  const tokens = new Map<string, RefreshTokenRecord>();
  const familiesByUser = new Map<string, Set<string>>();

  function assertNewToken(tokenHash: string): void {
    if (tokens.has(tokenHash)) {
      throw new AuthError('internal_error', { description: 'refresh token already stored' });
    }
  }

  /** Stores `next` as a live token of `entry` and makes it the family's newest token. */
  function addToken(entry: FamilyEntry, next: NewRefreshToken, now: number): void {
    const { id, userId } = entry.record;
    tokens.set(next.tokenHash, freezeToken(next, id, userId, now));
    entry.tokens.add(next.tokenHash);
    entry.record = Object.freeze({ ...entry.record, lastUsedAt: now, expiresAt: next.expiresAt });
  }

  function spend(token: RefreshTokenRecord, now: number): RefreshTokenRecord {
    const spent = Object.freeze({ ...token, spentAt: now });
    tokens.set(spent.tokenHash, spent);
    return spent;
  }

  function deleteFamily(familyId: string): number {
    const entry = families.get(familyId);
    if (!entry) return 0;
    for (const hash of entry.tokens) tokens.delete(hash);
    families.delete(familyId);
    const owned = familiesByUser.get(entry.record.userId);
    owned?.delete(familyId);
    if (owned?.size === 0) familiesByUser.delete(entry.record.userId);
    return 1 + entry.tokens.size;
  }

  function familiesOf(userId: string): FamilyEntry[] {
    const ids = familiesByUser.get(userId) ?? [];
    return [...ids].flatMap((id) => families.get(id) ?? []);
  }

  return {
    async createFamily(family, first) {
      if (families.has(family.id)) {
        throw new AuthError('internal_error', { description: 'session family already stored' });
      }
      assertNewToken(first.tokenHash);
      const record: SessionFamily = Object.freeze({
        id: family.id,
        userId: family.userId,
        createdAt: family.createdAt,
        lastUsedAt: family.createdAt,
        expiresAt: first.expiresAt,
        revokedAt: null,
      });
      const entry: FamilyEntry = { record, tokens: new Set() };
      families.set(record.id, entry);
      const owned = familiesByUser.get(record.userId) ?? new Set<string>();
      familiesByUser.set(record.userId, owned.add(record.id));
      addToken(entry, first, family.createdAt);
    },

    async spendToken(tokenHash, next, now) {
      const token = tokens.get(tokenHash);
      if (!token) return NOT_FOUND;
      const entry = families.get(token.familyId);
      if (!entry || entry.record.revokedAt !== null) return result('revoked', token);
      if (token.expiresAt <= now) return result('expired', token);
      if (token.spentAt !== null) return result('spent', token);
      assertNewToken(next.tokenHash);
      const spent = spend(token, now);
      addToken(entry, next, now);
      return result('rotated', spent);
    },

    async retryToken(tokenHash, next, now) {
      const retried = tokens.get(tokenHash);
      if (!retried || !wasRotated(retried)) return false;
      const entry = families.get(retried.familyId);
      if (!entry || entry.record.revokedAt !== null) return false;
      const family = [...entry.tokens].flatMap((hash) => tokens.get(hash) ?? []);
      const usedSince = (t: RefreshTokenRecord) =>
        t.tokenHash !== tokenHash && t.createdAt >= retried.spentAt && wasRotated(t);
      if (family.some(usedSince)) return false;
      assertNewToken(next.tokenHash);
      for (const token of family) {
        if (token.spentAt === null) {
          tokens.set(token.tokenHash, Object.freeze({ ...token, spentAt: now, expiresAt: now }));
        }
      }
      addToken(entry, next, now);
      return true;
    },

    async findToken(tokenHash) {
      return tokens.get(tokenHash) ?? null;
    },

    async findFamily(familyId) {
      return families.get(familyId)?.record ?? null;
    },

    async revokeFamily(familyId, now) {
      const entry = families.get(familyId);
      if (!entry || entry.record.revokedAt !== null) return false;
      entry.record = Object.freeze({ ...entry.record, revokedAt: now });
      return true;
    },

    async revokeUserFamilies(userId, now) {
      let revoked = 0;
      for (const entry of familiesOf(userId)) {
        if (entry.record.revokedAt !== null) continue;
        entry.record = Object.freeze({ ...entry.record, revokedAt: now });
        revoked++;
      }
      return revoked;
    },

    async listFamilies(userId, now) {
      return familiesOf(userId)
        .map((entry) => entry.record)
        .filter((family) => family.revokedAt === null && family.expiresAt > now)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },

    async prune(now) {
      let removed = 0;
      for (const [id, entry] of families) {
        if (entry.record.expiresAt <= now) removed += deleteFamily(id);
      }
      for (const [hash, token] of tokens) {
        if (token.expiresAt > now) continue;
        tokens.delete(hash);
        families.get(token.familyId)?.tokens.delete(hash);
        removed++;
      }
      return removed;
    },

    deleteUserSessions(userId) {
      let removed = 0;
      for (const entry of familiesOf(userId)) removed += deleteFamily(entry.record.id);
      return removed;
    },
  };
}

/** True for a token spent by a rotation (a superseded one has `spentAt` = `expiresAt`). */
function wasRotated(token: RefreshTokenRecord): token is RefreshTokenRecord & { spentAt: number } {
  return token.spentAt !== null && token.spentAt < token.expiresAt;
}

function result(
  status: 'rotated' | 'spent' | 'expired' | 'revoked',
  token: RefreshTokenRecord,
): SpendResult {
  return Object.freeze({ status, token });
}

function freezeToken(
  next: NewRefreshToken,
  familyId: string,
  userId: string,
  now: number,
): RefreshTokenRecord {
  return Object.freeze({
    tokenHash: next.tokenHash,
    familyId,
    userId,
    createdAt: now,
    expiresAt: next.expiresAt,
    spentAt: null,
  });
}
