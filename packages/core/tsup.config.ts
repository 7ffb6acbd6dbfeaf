import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing/index.ts',
    env: 'src/env.ts',
    bcrypt: 'src/bcrypt.ts',
    'docs-assets': 'src/docs-assets.ts',
    'hash-worker': 'src/password/node/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      testing: 'src/testing/index.ts',
      env: 'src/env.ts',
      bcrypt: 'src/bcrypt.ts',
      'docs-assets': 'src/docs-assets.ts',
    },
  },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  shims: true,
  target: 'es2022',
  external: ['vitest', 'bcryptjs', 'swagger-ui-dist'],
});
