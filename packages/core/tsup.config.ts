import { defineConfig } from 'tsup';

/** Public entry points, each a subpath export with its own types. */
const entries = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  testing: 'src/testing/index.ts',
  env: 'src/env.ts',
  bcrypt: 'src/bcrypt.ts',
  'docs-assets': 'src/node/docs-assets.ts',
};

export default defineConfig({
  // The hashing worker is loaded by path at run time, so it is built but has no types.
  entry: { ...entries, 'hash-worker': 'src/password/node/worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: entries },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  shims: true,
  target: 'es2022',
  external: ['vitest', 'bcryptjs', 'swagger-ui-dist'],
});
