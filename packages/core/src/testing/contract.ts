/**
 * {@link storageContract}: the one test suite every {@link AuthStorage} runs to prove it
 * keeps the contract of `storage/types.ts`, concurrency included.
 */

import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AuthStorage } from '../storage/types.js';
import { familyCases } from './contract-families.js';
import type { ContractCase } from './contract-fixtures.js';
import { rateLimitCases } from './contract-rate-limits.js';
import { tokenCases } from './contract-tokens.js';
import { userCases } from './contract-users.js';

const cases = { ...userCases, ...tokenCases, ...familyCases, ...rateLimitCases };

/** The name of one case of the storage contract; also its test title and its key in `skip`. */
export type StorageContractCase = keyof typeof cases;

/** Every case of the storage contract, in the order they run. */
export const storageContractCases: readonly StorageContractCase[] = Object.freeze(
  Object.keys(cases) as StorageContractCase[],
);

/** Options of {@link storageContract}. */
export interface StorageContractOptions {
  /** Names the store in the suite's title, e.g. `'memory'` or `'pg (PGlite)'`. */
  name: string;
  /**
   * Creates the store, once, before the first case. Cases use unique ids and usernames,
   * so the store needs no reset between them and may hold data from earlier runs.
   */
  create: () => Promise<AuthStorage> | AuthStorage;
  /** Releases the store (closes pools, drops schemas) after the last case. Default: none. */
  teardown?: (storage: AuthStorage) => Promise<void> | void;
  /**
   * Cases to skip, each mapped to the reason, which is shown in the skipped test's
   * title. An unknown case name or an empty reason throws. Default: none.
   */
  skip?: Partial<Record<StorageContractCase, string>>;
}

/**
 * Registers the storage contract suite with vitest: users (uniqueness under 8 parallel
 * creates), refresh-token families (exactly one of 10 parallel spends rotates), rate
 * limits (20 parallel hits count 20), pruning, and that returned records are not live
 * references. Times are fixed timestamps passed as `now`; nothing sleeps.
 * Call it at the top level of a test file.
 * @param options - see {@link StorageContractOptions}
 * @throws TypeError when `skip` names an unknown case or gives no reason
 * @example
 * ```ts
 * import { storageContract } from '@auth/core/testing';
 *
 * storageContract({
 *   name: 'pg',
 *   create: () => pgStorage({ pool, schema: `auth_test_${suffix}` }),
 *   teardown: (storage) => (storage as PgAuthStorage).close(),
 *   skip: { 'rateLimits: 20 parallel hits count 20': 'pool of one connection in CI' },
 * });
 * ```
 */
export function storageContract(options: StorageContractOptions): void {
  const skip = skipReasons(options.skip ?? {});
  describe(`storage contract: ${options.name}`, () => {
    let storage: AuthStorage | undefined;
    beforeAll(async () => {
      storage = await options.create();
    });
    afterAll(async () => {
      if (storage) await options.teardown?.(storage);
    });
    for (const [name, run] of Object.entries<ContractCase>(cases)) {
      const reason = skip.get(name);
      if (reason !== undefined) {
        it.skip(`${name} (skipped: ${reason})`, () => {});
        continue;
      }
      it(name, async () => {
        if (!storage) throw new Error(`storageContract: create() of ${options.name} failed`);
        await run(storage);
      });
    }
  });
}

function skipReasons(skip: Partial<Record<string, string>>): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const [name, reason] of Object.entries(skip)) {
    if (!Object.hasOwn(cases, name)) {
      throw new TypeError(`storageContract: skip names an unknown case "${name}"`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new TypeError(`storageContract: skipping "${name}" needs a reason`);
    }
    reasons.set(name, reason);
  }
  return reasons;
}
