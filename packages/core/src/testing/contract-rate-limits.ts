/** The rate-limit cases of the storage contract. */

import { expect } from 'vitest';
import { type ContractCase, DAY, HOUR, MINUTE, scribble, T0, uid } from './contract-fixtures.js';

const newKey = (): string => `contract:${uid()}`;

/** Cases of `RateLimitStore`, by name. */
export const rateLimitCases = {
  'rateLimits: hit counts within one window': async (s) => {
    const key = newKey();
    expect(await s.rateLimits.hit(key, MINUTE, T0)).toEqual({ count: 1, resetAt: T0 + MINUTE });
    expect(await s.rateLimits.hit(key, MINUTE, T0 + 1_000)).toEqual({
      count: 2,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.hit(key, MINUTE, T0 + MINUTE - 1)).toEqual({
      count: 3,
      resetAt: T0 + MINUTE,
    });
    expect(await s.rateLimits.hit(newKey(), MINUTE, T0)).toEqual({
      count: 1,
      resetAt: T0 + MINUTE,
    });
  },

  'rateLimits: a new window opens at resetAt': async (s) => {
    const key = newKey();
    await s.rateLimits.hit(key, MINUTE, T0);
    await s.rateLimits.hit(key, MINUTE, T0 + 1);
    expect(await s.rateLimits.hit(key, MINUTE, T0 + MINUTE)).toEqual({
      count: 1,
      resetAt: T0 + 2 * MINUTE,
    });
  },

  'rateLimits: peek shows the open window without counting': async (s) => {
    const key = newKey();
    expect(await s.rateLimits.peek(key, T0)).toBeNull();
    await s.rateLimits.hit(key, MINUTE, T0);
    const open = { count: 1, resetAt: T0 + MINUTE };
    expect(await s.rateLimits.peek(key, T0 + 1)).toEqual(open);
    expect(await s.rateLimits.peek(key, T0 + MINUTE - 1)).toEqual(open);
    expect(await s.rateLimits.peek(key, T0 + MINUTE)).toBeNull();
    expect(await s.rateLimits.peek(newKey(), T0 + 1)).toBeNull();
  },

  'rateLimits: reset forgets the key': async (s) => {
    const key = newKey();
    await s.rateLimits.hit(key, MINUTE, T0);
    await s.rateLimits.hit(key, MINUTE, T0);
    await s.rateLimits.reset(key);
    expect(await s.rateLimits.peek(key, T0 + 1)).toBeNull();
    expect(await s.rateLimits.hit(key, MINUTE, T0 + 2)).toEqual({
      count: 1,
      resetAt: T0 + 2 + MINUTE,
    });
    await s.rateLimits.reset(newKey());
  },

  'rateLimits: 20 parallel hits count 20': async (s) => {
    const key = newKey();
    const hits = Array.from({ length: 20 }, () => s.rateLimits.hit(key, MINUTE, T0));
    const windows = await Promise.all(hits);
    const counts = windows.map((window) => window.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(windows.map((window) => window.resetAt))).toEqual(new Set([T0 + MINUTE]));
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 20, resetAt: T0 + MINUTE });
  },

  'rateLimits: prune removes ended windows, keeps open ones': async (s) => {
    const ended = newKey();
    const open = newKey();
    await s.rateLimits.hit(ended, MINUTE, T0);
    await s.rateLimits.hit(open, DAY, T0);
    expect(await s.rateLimits.prune(T0 + HOUR)).toBeGreaterThanOrEqual(1);
    // Looking back to a time the window was open shows whether it is still stored.
    expect(await s.rateLimits.peek(ended, T0 + 1)).toBeNull();
    expect(await s.rateLimits.peek(open, T0 + HOUR)).toEqual({ count: 1, resetAt: T0 + DAY });
  },

  'rateLimits: windows are not live references': async (s) => {
    const key = newKey();
    scribble(await s.rateLimits.hit(key, MINUTE, T0));
    scribble(await s.rateLimits.peek(key, T0));
    expect(await s.rateLimits.peek(key, T0)).toEqual({ count: 1, resetAt: T0 + MINUTE });
  },
} satisfies Record<string, ContractCase>;
