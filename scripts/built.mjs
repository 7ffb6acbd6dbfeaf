#!/usr/bin/env node
/**
 * Exits 0 when every package's `dist` was built after the last change to what it is built
 * from (its `src`, `package.json`, `tsconfig.json`, `tsup.config.ts`, and the root's
 * `tsconfig.base.json`, `package.json` and `pnpm-lock.yaml`); otherwise exits 1, saying
 * why. `pnpm test` builds only then (`node scripts/built.mjs || pnpm build`): right after a
 * build, as in CI, building again would only repeat it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** mtimes (ms) of every file under `path` (the file itself when it is one), if it exists. */
function mtimes(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return [];
  }
  if (!info.isDirectory()) return [info.mtimeMs];
  return readdirSync(path).flatMap((entry) => mtimes(join(path, entry)));
}

const shared = ['tsconfig.base.json', 'package.json', 'pnpm-lock.yaml'].flatMap((f) =>
  mtimes(join(root, f)),
);

function staleReason(dir) {
  const built = mtimes(join(dir, 'dist'));
  if (built.length === 0) return 'not built';
  // The build empties dist first: its oldest file is about when the build began.
  const builtAt = Math.min(...built);
  const inputs = [
    ...shared,
    ...['src', 'package.json', 'tsconfig.json', 'tsup.config.ts'].flatMap((f) =>
      mtimes(join(dir, f)),
    ),
  ];
  return inputs.some((t) => t > builtAt) ? 'changed since its last build' : undefined;
}

const packages = join(root, 'packages');
const stale = [];
for (const name of readdirSync(packages)) {
  const dir = join(packages, name);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (!manifest.scripts?.build) continue;
  const reason = staleReason(dir);
  if (reason) stale.push(`${manifest.name ?? name}: ${reason}`);
}
if (stale.length > 0) {
  console.log(`building: ${stale.join('; ')}`);
  process.exit(1);
}
console.log('every package is built from its current sources: no build needed');
