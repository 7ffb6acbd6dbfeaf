/** Internal: validation of hasher options into `AuthConfigError`s that name the option. */
import { AuthConfigError } from '../../errors.js';

/**
 * Returns `value` (or `fallback` when undefined) after checking it is an integer in
 * `min..max`.
 * @throws AuthConfigError naming `password.<name>`
 */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new AuthConfigError(`password.${name}`, `must be an integer from ${min} to ${max}`);
  }
  return v;
}
