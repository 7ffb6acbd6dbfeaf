/**
 * Username canonicalisation: the display form is trimmed and NFKC-normalised; the key used
 * for uniqueness and lookup is additionally case-folded, so `Alice` and `alice` are one user.
 */

/** Minimum username length in characters (code points), after normalisation. */
export const USERNAME_MIN = 3;
/** Maximum username length in characters (code points), after normalisation. */
export const USERNAME_MAX = 64;
/** Raw input longer than this many UTF-16 units is refused before any normalisation. */
export const USERNAME_RAW_MAX = 256;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it matches
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The display form of a username: trimmed and NFKC-normalised. */
export function displayUsername(raw: string): string {
  return raw.normalize('NFKC').trim();
}

/**
 * The canonical key of a username: NFKC, trimmed, case-folded. Idempotent:
 * `usernameKey(usernameKey(x)) === usernameKey(x)`.
 */
export function usernameKey(raw: string): string {
  let value = raw;
  // Case folding can produce characters NFKC changes again; iterate to a fixed point.
  for (let i = 0; i < 4; i++) {
    const next = value
      .normalize('NFKC')
      .trim()
      .toUpperCase()
      .toLowerCase()
      .normalize('NFKC')
      .trim();
    if (next === value) return next;
    value = next;
  }
  return value;
}

/**
 * Why a username is not acceptable, or `null` when it is.
 * Lengths are counted in code points of the display form.
 */
export function usernameProblem(raw: string): string | null {
  if (raw.length > USERNAME_RAW_MAX) return `must be at most ${USERNAME_MAX} characters`;
  const display = displayUsername(raw);
  const length = [...display].length;
  if (length < USERNAME_MIN) return `must be at least ${USERNAME_MIN} characters`;
  if (length > USERNAME_MAX) return `must be at most ${USERNAME_MAX} characters`;
  if (CONTROL.test(display)) return 'must not contain control characters';
  return null;
}
