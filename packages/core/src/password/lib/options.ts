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

/** The length options every scheme shares. */
export interface LengthOptions {
  saltLength?: number;
  hashLength?: number;
  maxPasswordLength?: number;
}

/**
 * Checks the salt, hash and password lengths of a scheme's options.
 * @throws AuthConfigError naming the bad option
 */
export function lengthOptions(
  opts: LengthOptions,
  defaults: Required<LengthOptions>,
): Required<LengthOptions> {
  return {
    saltLength: integerOption('saltLength', opts.saltLength, defaults.saltLength, 16, 64),
    hashLength: integerOption('hashLength', opts.hashLength, defaults.hashLength, 16, 64),
    maxPasswordLength: integerOption(
      'maxPasswordLength',
      opts.maxPasswordLength,
      defaults.maxPasswordLength,
      1,
      4096,
    ),
  };
}
