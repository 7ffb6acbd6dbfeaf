/**
 * `@auth/core/testing`: what a store or an app needs to test itself against the core —
 * the storage contract suite and a clock tests can move. Needs vitest (an optional peer).
 */

export { type ManualClock, manualClock } from '../clock.js';
export {
  type StorageContractCase,
  type StorageContractOptions,
  storageContract,
  storageContractCases,
} from './contract.js';
