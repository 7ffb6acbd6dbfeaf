/** Well-formed UTF-16: no lone surrogate, so the text has a UTF-8 form. */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` has no lone surrogate (what `String.prototype.isWellFormed` answers).
 * A lone surrogate has no UTF-8 form: encoded, it becomes U+FFFD, so two different
 * passwords or usernames would be taken for one.
 */
export function wellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}
