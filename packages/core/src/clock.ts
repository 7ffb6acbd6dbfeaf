/**
 * The only place the core reads the time. Every expiry, window and `iat` comes from a
 * {@link Clock}, so tests advance a {@link ManualClock} instead of sleeping.
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real time of the host. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told to; for tests. */
export interface ManualClock extends Clock {
  /** Sets the time, in milliseconds since the epoch. */
  set(ms: number): void;
  /** Moves the time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Moves the time forward by `seconds` seconds. */
  advanceSeconds(seconds: number): void;
}

/**
 * Creates a {@link ManualClock}.
 * @param start - initial time in ms since the epoch (default 2026-01-01T00:00:00Z)
 * @example
 * ```ts
 * const clock = manualClock();
 * clock.advanceSeconds(901); // the 900 s access token is now expired
 * ```
 */
export function manualClock(start = 1_767_225_600_000): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
    advanceSeconds: (seconds) => {
      current += seconds * 1000;
    },
  };
}

/** The clock's time as a `Date` (for libraries such as jose that take one). */
export function clockDate(clock: Clock): Date {
  return new Date(clock.now());
}

/** The clock's time in whole seconds since the epoch (JWT `NumericDate`). */
export function clockSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
