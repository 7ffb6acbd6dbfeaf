/**
 * The published shape, checked against the build with Node's own resolution (the package
 * refers to itself by name): every subpath loads in each module system it lists, and the
 * types each one names exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** The conditions of a subpath, nested as the exports map nests them. */
type Targets = Record<string, unknown>;
const subpaths = Object.entries(pkg.exports as Record<string, Targets | string>).filter(
  (entry): entry is [string, Targets] => typeof entry[1] !== 'string',
);

/** Runs a script with Node in the package's folder; resolves what it prints. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('package exports', () => {
  it('every file a subpath or typesVersions names is built', () => {
    expect(existsSync(join(ROOT, 'dist/index.js')), 'run `pnpm build` first').toBe(true);
    const leaves = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Object.values(value as object).flatMap(leaves);
    const files = subpaths.flatMap(([, targets]) => leaves(targets));
    const typesVersions = Object.values(pkg.typesVersions['*'] as Record<string, string[]>).flat();
    for (const file of [...files, ...typesVersions, pkg.main, pkg.module, pkg.types] as string[]) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
  });

  it('every subpath imports as an ES module, and requires as CommonJS where it says so', () => {
    for (const [subpath, targets] of subpaths) {
      const name = `@auth/core${subpath.slice(1)}`;
      if (subpath === './testing') {
        // vitest can only be imported inside a vitest run: the entry resolves, ESM only.
        expect(Object.keys(targets)).toEqual(['import']);
        expect(
          node(['--input-type=module', '-e', `console.log(import.meta.resolve('${name}'))`]),
        ).toMatch(/dist\/testing\.js$/);
        continue;
      }
      const esm = `const m = await import('${name}'); console.log(Object.keys(m).length > 0);`;
      expect(node(['--input-type=module', '-e', esm]), `import ${name}`).toBe('true');
      const cjs = `console.log(Object.keys(require('${name}')).length > 0);`;
      expect(node(['-e', cjs]), `require ${name}`).toBe('true');
    }
  });

  it('@auth/core/node is the node-condition entry, by name', () => {
    const script = `const a = await import('@auth/core'); const b = await import('@auth/core/node');
      console.log(a.createAuth === b.createAuth, typeof b.workerPoolHasher);`;
    expect(node(['--input-type=module', '-e', script])).toBe('true function');
  });
});
