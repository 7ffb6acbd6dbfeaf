/** Internal: finds the script the hashing workers run. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineWorkerSource } from './inline-worker.js';

/** What a hashing worker runs: the built file, or the inline source. */
export type WorkerScript =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'inline'; readonly code: string };

/**
 * The built worker next to this module (`hash-worker.cjs` from the CommonJS build,
 * `hash-worker.js` from the ES module build, both in `dist/`), or, when that file does not
 * exist (running from the TypeScript sources), the inline worker.
 * @param file - an explicit worker file, used as is when given
 */
export async function locateWorker(file?: string | URL): Promise<WorkerScript> {
  if (file !== undefined) {
    return { kind: 'file', path: typeof file === 'string' ? file : fileURLToPath(file) };
  }
  const self = await moduleFile();
  const name = self.endsWith('.cjs') ? 'hash-worker.cjs' : 'hash-worker.js';
  const built = join(dirname(self), name);
  if (existsSync(built)) return { kind: 'file', path: built };
  return { kind: 'inline', code: inlineWorkerSource(self) };
}

/** The path of this (possibly bundled) module, in CommonJS or as an ES module. */
async function moduleFile(): Promise<string> {
  // CommonJS defines `__filename`; so may a test runner for the .ts sources (no built
  // worker beside them either way). Otherwise this is an ES module: ask import.meta.
  if (typeof __filename === 'string') return __filename;
  const { moduleUrl } = await import('./module-url.js');
  return fileURLToPath(moduleUrl());
}
