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
export function locateWorker(file?: string | URL): WorkerScript {
  if (file !== undefined) {
    return { kind: 'file', path: typeof file === 'string' ? file : fileURLToPath(file) };
  }
  const self = moduleFile();
  const built =
    self && join(dirname(self), self.endsWith('.cjs') ? 'hash-worker.cjs' : 'hash-worker.js');
  if (built && existsSync(built)) return { kind: 'file', path: built };
  if (!self) throw new Error('cannot locate the hash worker: unknown module path');
  return { kind: 'inline', code: inlineWorkerSource(self) };
}

/** The path of this (possibly bundled) module, in CommonJS or as an ES module. */
function moduleFile(): string | undefined {
  // In the CommonJS build `__filename` is this chunk; in an ES module it is not defined
  // (a test runner may define it for the .ts source, which is handled the same way).
  if (typeof __filename === 'string' && __filename.endsWith('.cjs')) return __filename;
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) return fileURLToPath(url);
  if (typeof __filename === 'string') return __filename;
  return undefined;
}
