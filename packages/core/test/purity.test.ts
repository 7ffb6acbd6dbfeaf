import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');
const NODE_ONLY = ['node.ts', 'node/', 'password/node/'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = files(SRC).map((path) => ({
  path: relative(SRC, path).replaceAll('\\', '/'),
  text: readFileSync(path, 'utf8'),
}));

describe('the default entry stays pure', () => {
  it('imports no node: module outside the node-condition entry', () => {
    const offenders = sources
      .filter((f) => !NODE_ONLY.some((p) => f.path.startsWith(p)))
      .filter((f) => /from\s+['"]node:|require\(['"]node:|import\(['"]node:/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('as built: the ES module entries for every runtime load no Node module, directly or through a chunk', () => {
    const dist = join(SRC, '../dist');
    expect(existsSync(join(dist, 'index.js')), 'dist/index.js: run `pnpm build` first').toBe(true);
    const specifiers = /(?:^|[;\s])(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;
    for (const entry of ['index.js', 'testing.js', 'bcrypt.js']) {
      const seen = new Set<string>();
      const builtins: string[] = [];
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifiers)) {
          if (spec!.startsWith('.')) visit(join(dirname(file), spec!));
          else if (isBuiltin(spec!)) builtins.push(`${relative(dist, file)} → ${spec}`);
        }
      };
      visit(join(dist, entry));
      expect(seen.size, entry).toBeGreaterThan(1);
      expect(builtins, entry).toEqual([]);
    }
  });

  it('reads time only through the clock', () => {
    const offenders = sources
      .filter((f) => f.path !== 'clock.ts')
      .filter((f) => /Date\.now\(|new Date\(|performance\.now\(/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('has no runtime dependency beyond jose, @noble/hashes and zod', async () => {
    const pkg = JSON.parse(readFileSync(join(SRC, '../package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@noble/hashes', 'jose', 'zod']);
  });
});
