import { defineConfig, type Options } from 'tsup';

/** Public entry points, each a subpath export with its own types. */
const entries = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  testing: 'src/testing/index.ts',
  env: 'src/env.ts',
  bcrypt: 'src/bcrypt.ts',
  'docs-assets': 'src/node/docs-assets.ts',
};

const { testing: _testing, ...withoutTesting } = entries;

const common: Options = {
  // The hashing worker is loaded by path at run time, so it is built but has no types.
  entry: { ...entries, 'hash-worker': 'src/password/node/worker.ts' },
  dts: { entry: entries },
  sourcemap: true,
  // `pnpm build` empties dist/ first: two configs cleaning it would delete each other's files.
  clean: false,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  external: ['vitest', 'bcryptjs', 'swagger-ui-dist'],
};

export default defineConfig([
  // No shims in the ES module build: tsup's `__dirname`/`__filename` shim imports `path` and
  // `url`, which would put Node modules in the default entry, built for every runtime. The
  // sources ask `import.meta.url` where they need their own path.
  { ...common, format: ['esm'], shims: false },
  // The CommonJS build gets `import.meta.url` from the shim. It has no `testing` entry:
  // vitest, which that entry runs in, cannot be required.
  {
    ...common,
    entry: { ...withoutTesting, 'hash-worker': 'src/password/node/worker.ts' },
    dts: { entry: withoutTesting },
    format: ['cjs'],
    shims: true,
  },
]);
