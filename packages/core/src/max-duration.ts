/**
 * The longest lifetime or window an option may set, seconds (ten years): anything longer is
 * a mistake, and far enough past it a time in ms leaves the range `Date` and the storage
 * can hold (a login then fails instead of the start-up).
 */
export const MAX_DURATION_SECONDS = 315_360_000;
