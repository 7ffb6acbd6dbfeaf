/** Listeners the library calls (audit events, error reports) must never break what it does. */

/**
 * Wraps `listener` so that calling it never throws, and a promise it returns never rejects
 * unhandled (which would end a Node process).
 */
export function quietly<A extends unknown[]>(
  listener: (...args: A) => unknown,
): (...args: A) => void {
  return (...args) => {
    try {
      const result = listener(...args);
      if (result && typeof (result as Promise<unknown>).catch === 'function') {
        (result as Promise<unknown>).catch(() => {});
      }
    } catch {
      // A listener's failure is its own.
    }
  };
}
