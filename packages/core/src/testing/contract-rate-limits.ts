/** The rate-limit cases of the storage contract: sliding windows of at most `limit` hits. */

import { expect } from 'vitest';
import { type ContractCase, DAY, HOUR, MINUTE, scribble, T0, uid } from './contract-fixtures.js';

const newKey = (): string => `contract:${uid()}`;
const LIMIT = 5;

/** Cases of `RateLimitStore`, by name. */
export const rateLimitCases = {
  'rateLimits: each hit counts for windowMs after it; resetAt is when the oldest stops': async (
    s,
  ) => {
    const key = newKey();
    expect(await s.rateLimits.hit(key, MINUTE, T0, LIMIT)).toEqual({
      count: 1,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.hit(key, MINUTE, T0 + 1_000, LIMIT)).toEqual({
      count: 2,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.hit(key, MINUTE, T0 + MINUTE - 1, LIMIT)).toEqual({
      count: 3,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.hit(newKey(), MINUTE, T0, LIMIT)).toEqual({
      count: 1,
      resetAt: T0 + MINUTE,
    });
  },

  'rateLimits: the window slides: hits leave it one by one, not all at once': async (s) => {
    const key = newKey();
    await s.rateLimits.hit(key, MINUTE, T0, LIMIT);
    await s.rateLimits.hit(key, MINUTE, T0 + 10_000, LIMIT);
    await s.rateLimits.hit(key, MINUTE, T0 + 50_000, LIMIT);
    // At T0 + MINUTE the first hit has left; the two others still count.
    expect(await s.rateLimits.peek(key, T0 + MINUTE)).toEqual({
      count: 2,
      resetAt: T0 + 10_000 + MINUTE,
    });
    expect(await s.rateLimits.hit(key, MINUTE, T0 + MINUTE, LIMIT)).toEqual({
      count: 3,
      resetAt: T0 + 10_000 + MINUTE,
    });
    expect(await s.rateLimits.peek(key, T0 + 50_000 + MINUTE)).toEqual({
      count: 1,
      resetAt: T0 + 2 * MINUTE,
    });
    expect(await s.rateLimits.peek(key, T0 + 2 * MINUTE)).toBeNull();
  },

  'rateLimits: a key keeps only its newest `limit` hits': async (s) => {
    const key = newKey();
    for (let i = 0; i < 7; i++) {
      const window = await s.rateLimits.hit(key, MINUTE, T0 + i * 1_000, 3);
      expect(window.count).toBe(Math.min(i + 1, 3));
    }
    // Hits at +4 s, +5 s, +6 s are kept: the limit stops holding when the one at +4 s leaves.
    expect(await s.rateLimits.peek(key, T0 + 6_000)).toEqual({
      count: 3,
      resetAt: T0 + 4_000 + MINUTE,
    });
  },

  'rateLimits: peek shows the window without counting': async (s) => {
    const key = newKey();
    expect(await s.rateLimits.peek(key, T0)).toBeNull();
    await s.rateLimits.hit(key, MINUTE, T0, LIMIT);
    const open = { count: 1, resetAt: T0 + MINUTE };
    expect(await s.rateLimits.peek(key, T0 + 1)).toEqual(open);
    expect(await s.rateLimits.peek(key, T0 + MINUTE - 1)).toEqual(open);
    expect(await s.rateLimits.peek(key, T0 + MINUTE)).toBeNull();
    expect(await s.rateLimits.peek(newKey(), T0 + 1)).toBeNull();
  },

  'rateLimits: reset forgets the key': async (s) => {
    const key = newKey();
    await s.rateLimits.hit(key, MINUTE, T0, LIMIT);
    await s.rateLimits.hit(key, MINUTE, T0, LIMIT);
    await s.rateLimits.reset(key);
    expect(await s.rateLimits.peek(key, T0 + 1)).toBeNull();
    expect(await s.rateLimits.hit(key, MINUTE, T0 + 2, LIMIT)).toEqual({
      count: 1,
      resetAt: T0 + 2 + MINUTE,
    });
    await s.rateLimits.reset(newKey());
  },

  'rateLimits: 20 parallel hits count 20': async (s) => {
    const key = newKey();
    const hits = Array.from({ length: 20 }, () => s.rateLimits.hit(key, MINUTE, T0, 100));
    const windows = await Promise.all(hits);
    const counts = windows.map((window) => window.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(windows.map((window) => window.resetAt))).toEqual(new Set([T0 + MINUTE]));
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 20, resetAt: T0 + MINUTE });
  },

  'rateLimits: prune removes keys none of whose hits count, keeps the others': async (s) => {
    const ended = newKey();
    const open = newKey();
    const mixed = newKey();
    await s.rateLimits.hit(ended, MINUTE, T0, LIMIT);
    await s.rateLimits.hit(open, DAY, T0, LIMIT);
    await s.rateLimits.hit(mixed, MINUTE, T0, LIMIT);
    await s.rateLimits.hit(mixed, DAY, T0, LIMIT);
    expect(await s.rateLimits.prune(T0 + HOUR)).toBeGreaterThanOrEqual(1);
    // Looking back to a time the hit counted shows whether it is still stored.
    expect(await s.rateLimits.peek(ended, T0 + 1)).toBeNull();
    expect(await s.rateLimits.peek(open, T0 + HOUR)).toEqual({ count: 1, resetAt: T0 + DAY });
    expect(await s.rateLimits.peek(mixed, T0 + HOUR)).toEqual({ count: 1, resetAt: T0 + DAY });
  },

  'rateLimits: take records a hit only while fewer than limit count': async (s) => {
    const key = newKey();
    expect(await s.rateLimits.take(key, MINUTE, T0, 2)).toEqual({
      taken: true,
      count: 1,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.take(key, MINUTE, T0 + 1_000, 2)).toEqual({
      taken: true,
      count: 2,
      resetAt: T0 + MINUTE,
    });
    // Full: refused, and the refusal is not a hit (the window still ends with the first).
    expect(await s.rateLimits.take(key, MINUTE, T0 + 2_000, 2)).toEqual({
      taken: false,
      count: 2,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.peek(key, T0 + 2_000)).toEqual({ count: 2, resetAt: T0 + MINUTE });
    // Once the first has left the window there is a place again.
    expect(await s.rateLimits.take(key, MINUTE, T0 + MINUTE, 2)).toEqual({
      taken: true,
      count: 2,
      resetAt: T0 + 1_000 + MINUTE,
    });
  },

  'rateLimits: of 20 parallel takes with limit 3, exactly 3 are taken': async (s) => {
    const key = newKey();
    const takes = await Promise.all(
      Array.from({ length: 20 }, () => s.rateLimits.take(key, MINUTE, T0, 3)),
    );
    expect(takes.filter((t) => t.taken)).toHaveLength(3);
    for (const t of takes.filter((t) => !t.taken)) expect(t.count).toBe(3);
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 3, resetAt: T0 + MINUTE });
  },

  'rateLimits: release removes one hit with that expiry, and nothing else': async (s) => {
    const key = newKey();
    await s.rateLimits.take(key, MINUTE, T0, LIMIT);
    await s.rateLimits.take(key, MINUTE, T0, LIMIT);
    await s.rateLimits.take(key, MINUTE, T0 + 1_000, LIMIT);
    await s.rateLimits.release(key, T0 + MINUTE);
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 2, resetAt: T0 + MINUTE });
    await s.rateLimits.release(key, T0 + 1_000 + MINUTE);
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 1, resetAt: T0 + MINUTE });
    // No hit with that expiry, or no such key: nothing happens.
    await s.rateLimits.release(key, T0 + 5_000 + MINUTE);
    await s.rateLimits.release(newKey(), T0 + MINUTE);
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 1, resetAt: T0 + MINUTE });
    await s.rateLimits.release(key, T0 + MINUTE);
    expect(await s.rateLimits.peek(key, T0)).toBeNull();
    // A released place can be taken again.
    expect(await s.rateLimits.take(key, MINUTE, T0, 1)).toMatchObject({ taken: true, count: 1 });
  },

  'rateLimits: windows are not live references': async (s) => {
    const key = newKey();
    scribble(await s.rateLimits.hit(key, MINUTE, T0, LIMIT));
    scribble(await s.rateLimits.peek(key, T0));
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 1, resetAt: T0 + MINUTE });
  },
} satisfies Record<string, ContractCase>;
