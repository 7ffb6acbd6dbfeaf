import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  // import.meta.url in the CJS build (the cluster template finds PGlite's package.json).
  shims: true,
  target: 'es2022',
  external: ['@auth/core', 'pg', '@electric-sql/pglite'],
});
