/**
 * The single list of test projects. vitest 4 no longer reads this file on its own, so the
 * root `vitest.config.ts` imports it: add a package here and `pnpm test` runs its tests.
 */
export const projects = ['packages/*', 'examples/*'];
