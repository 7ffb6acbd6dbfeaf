/**
 * The built layout: tsup bundles the pool into `node.js`/`node.cjs` (or a chunk) and the
 * worker into `hash-worker.js`/`.cjs` beside it, as packages/core/tsup.config.ts does. The
 * pool must find the built worker from both module formats, and the pure entry of the
 * password module must not reach any `node:` module.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/password/lib/derive.js';
import type { KdfParams } from '../../src/password/params.js';

const core = join(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(core, 'src/password');
// Inside node_modules so the bundles resolve @noble/hashes as the published package does.
const outDir = join(core, 'node_modules/.cache/password-build-test');

interface BuiltPool {
  readonly script: string | undefined;
  derive(
    params: KdfParams,
    password: Uint8Array,
    salt: Uint8Array,
    dkLen: number,
  ): Promise<Uint8Array>;
  close(): Promise<void>;
}
interface BuiltModule {
  createWorkerPool(opts: { poolSize: number }): BuiltPool;
}

beforeAll(async () => {
  await build({
    entry: { node: join(src, 'node/index.ts'), 'hash-worker': join(src, 'node/worker.ts') },
    outDir,
    format: ['esm', 'cjs'],
    splitting: true,
    clean: true,
    dts: false,
    silent: true,
    config: false,
    target: 'es2022',
    external: [/^@noble\//],
  });
  // A directory under node_modules has no package scope: say how to read the `.js` files.
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
}, 60_000);

const params: KdfParams = { alg: 'argon2id', version: 0x13, m: 256, t: 1, p: 1 };
const salt = new Uint8Array(16).fill(3);

async function check(pool: BuiltPool): Promise<void> {
  try {
    const password = new TextEncoder().encode('pw');
    const expected = await deriveKey(params, password, salt, 32);
    expect(await pool.derive(params, password, salt, 32)).toEqual(expected);
    expect(pool.script).toBe('file');
    const scrypt: KdfParams = { alg: 'scrypt', ln: 8, r: 8, p: 1 };
    expect(await pool.derive(scrypt, password, salt, 32)).toEqual(
      await deriveKey(scrypt, password, salt, 32),
    );
  } finally {
    await pool.close();
  }
}

describe('the built pool', () => {
  it('emits the worker beside the pool', () => {
    const files = readdirSync(outDir);
    expect(files).toContain('hash-worker.js');
    expect(files).toContain('hash-worker.cjs');
  });

  it('finds hash-worker.js from the ES module build', async () => {
    const mod = (await import(pathToFileURL(join(outDir, 'node.js')).href)) as BuiltModule;
    await check(mod.createWorkerPool({ poolSize: 1 }));
  });

  it('finds hash-worker.cjs from the CommonJS build', async () => {
    const mod = createRequire(import.meta.url)(join(outDir, 'node.cjs')) as BuiltModule;
    await check(mod.createWorkerPool({ poolSize: 1 }));
  });
});

describe('the pure password module', () => {
  it('imports no node: module outside src/password/node', () => {
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith('node'))
      .map((f) => join(src, f));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map(
        (m) => m[1],
      );
      expect(
        imports.filter((i) => i?.startsWith('node:')),
        relative(core, file),
      ).toEqual([]);
      expect(
        imports.filter((i) => i?.includes('/node/')),
        relative(core, file),
      ).toEqual([]);
    }
  });
});
