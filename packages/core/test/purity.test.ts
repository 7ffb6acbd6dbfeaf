import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
