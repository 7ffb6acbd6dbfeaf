/**
 * Username canonicalisation: the display form is trimmed and NFKC-normalised; the key used
 * for uniqueness and lookup is additionally case-folded, so `Alice` and `alice` are one user.
 */
import { wellFormed } from './well-formed.js';

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
 * Characters a reader does not see (Unicode's default-ignorables): zero-width spaces, bidi
 * overrides and isolates, the BOM, soft hyphen, tag characters, variation selectors, the
 * combining grapheme joiner, Hangul fillers. Each makes one name display as another.
 */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
/** Emoji, after which a joiner or a presentation selector (U+FE0E, U+FE0F) belongs. */
const PICTOGRAPHIC = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)$/u;
/**
 * A letter or mark of a script that writes with joiners (ZWNJ in Persian, ZWJ and ZWNJ after
 * an Indic virama): not Latin, Greek or Cyrillic, whose look-alikes they would make.
 */
const JOINING_CONTEXT =
  /(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}])[\p{L}\p{M}]/u;

/**
 * True when `display` holds an invisible character out of place. ZWJ and ZWNJ (U+200C,
 * U+200D) stay after a letter or mark of a script that needs them and inside emoji
 * sequences; U+FE0E and U+FE0F after an emoji — a simplification of RFC 5892's CONTEXTJ.
 */
function hasInvisible(display: string): boolean {
  let previous = '';
  for (const ch of display) {
    if (IGNORABLE.test(ch)) {
      const allowed =
        ch === '\u200c' || ch === '\u200d'
          ? JOINING_CONTEXT.test(previous) || PICTOGRAPHIC.test(previous)
          : (ch === '\ufe0e' || ch === '\ufe0f') && /\p{Extended_Pictographic}/u.test(previous);
      if (!allowed) return true;
    }
    previous = ch;
  }
  return false;
}

/** A letter, digit, punctuation or symbol: something a reader sees. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Code points with no agreed glyph: unassigned ones and noncharacters (`Cn`; an assigned
 * one may later fold or normalise differently, moving the name's key) and private-use ones
 * (`Co`, whatever a font makes of them).
 */
const NO_AGREED_GLYPH = /[\p{Cn}\p{Co}]/u;
/**
 * Characters that render blank or as a placeholder though they are not whitespace or
 * ignorable: the Braille pattern blank, the Ogham space mark, the object replacement
 * character. `admin⠀` must not pass for `admin`.
 */
const BLANK_LOOKING = /[\u2800\u1680\ufffc]/u;
/** Two spaces in a row, which HTML shows as one. */
const SPACE_RUN = / {2}/;

/**
 * True when the letters of `display` come from more than one of Latin, Greek and Cyrillic,
 * whose capitals and many small letters look alike (`аdmin` with a Cyrillic `а`): a name
 * uses one of them, as UTS #39's restriction levels ask.
 */
function mixesLookalikeScripts(display: string): boolean {
  let scripts = 0;
  if (/\p{Script=Latin}/u.test(display)) scripts++;
  if (/\p{Script=Greek}/u.test(display)) scripts++;
  if (/\p{Script=Cyrillic}/u.test(display)) scripts++;
  return scripts > 1;
}

/**
 * Why the username of a login can name no user, or `null` when it might: too long, not
 * well-formed, or with control characters (which no registration lets in and a database
 * may refuse to compare). Everything else is left to the lookup, so that names registered
 * under older, looser rules still log in.
 */
export function loginUsernameProblem(raw: string): string | null {
  if (raw.length > USERNAME_RAW_MAX) return `must be at most ${USERNAME_MAX} characters`;
  if (!wellFormed(raw)) return 'must be well-formed Unicode (no lone surrogates)';
  const display = displayUsername(raw);
  if ([...display].length > USERNAME_MAX) return `must be at most ${USERNAME_MAX} characters`;
  if (CONTROL.test(display)) return 'must not contain control characters';
  return null;
}

/**
 * Why a username is not acceptable, or `null` when it is.
 * Lengths are counted in code points of the display form.
 */
export function usernameProblem(raw: string): string | null {
  if (raw.length > USERNAME_RAW_MAX) return `must be at most ${USERNAME_MAX} characters`;
  if (!wellFormed(raw)) return 'must be well-formed Unicode (no lone surrogates)';
  const display = displayUsername(raw);
  const length = [...display].length;
  if (length < USERNAME_MIN) return `must be at least ${USERNAME_MIN} characters`;
  if (length > USERNAME_MAX) return `must be at most ${USERNAME_MAX} characters`;
  if (CONTROL.test(display)) return 'must not contain control characters';
  if (hasInvisible(display) || BLANK_LOOKING.test(display)) {
    return 'must not contain invisible formatting characters';
  }
  if (NO_AGREED_GLYPH.test(display)) return 'must not contain unassigned or private-use characters';
  if (SPACE_RUN.test(display)) return 'must not contain two spaces in a row';
  if (!VISIBLE.test(display)) return 'must contain a letter, digit or symbol';
  if (mixesLookalikeScripts(display)) return 'must not mix Latin, Greek and Cyrillic letters';
  return null;
}
