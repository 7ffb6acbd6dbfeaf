/**
 * A cached template of a new PGlite cluster. `initdb` takes seconds (7 s on a 2-core
 * machine), while a new cluster unpacked from a dump of a fresh one starts in under 1.5.
 * The first new cluster on a machine runs `initdb` and dumps the result, before anything is
 * stored in it; later ones start from that dump. It is a plain tar (40 MiB; gzip'd it would
 * be 4.5 MiB, but gunzipping it would cost a third of a second at every start). The cache
 * lives in a directory only this user can write (`$XDG_CACHE_HOME/auth-pg`, else
 * `~/.cache/auth-pg`), one file per PGlite version, written whole or not at all; a file
 * another user could have written is ignored.
 * Anything that goes wrong with the cache falls back to `initdb`.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What of a PGlite instance the template needs. */
export interface DumpableDb {
  dumpDataDir(compression?: 'gzip' | 'none' | 'auto'): Promise<File | Blob>;
}

/** The default cache directory, or `undefined` when there is no home to put it in. */
export function defaultTemplateDir(): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg?.startsWith('/')) return join(xdg, 'auth-pg');
  try {
    const home = homedir();
    return home ? join(home, '.cache', 'auth-pg') : undefined;
  } catch {
    return undefined;
  }
}

/** The installed PGlite version, which names the template (its data format). */
function pgliteVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@electric-sql/pglite');
    // `…/node_modules/@electric-sql/pglite/dist/index.cjs` → its package.json.
    const manifest = join(dirname(dirname(entry)), 'package.json');
    const { name, version } = require(manifest) as { name?: string; version?: string };
    return name === '@electric-sql/pglite' && typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** True when `path` is this user's and nobody else may write it. */
async function ownedPrivately(path: string, directory: boolean): Promise<boolean> {
  const info = await lstat(path);
  if (directory ? !info.isDirectory() : !info.isFile()) return false;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return (uid === undefined || info.uid === uid) && (info.mode & 0o022) === 0;
}

/** The template file of this PGlite version in `dir`, or `undefined` when there can be none. */
export function templateFile(dir: string | undefined): string | undefined {
  const version = pgliteVersion();
  if (!dir || !version || !/^[0-9A-Za-z.+-]+$/.test(version)) return undefined;
  return join(dir, `pglite-${version}-cluster.tar`);
}

/** The cached template, or `undefined` when there is none to trust. */
export async function readTemplate(
  file: string | undefined,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!file) return undefined;
  try {
    if (!(await ownedPrivately(dirname(file), true)) || !(await ownedPrivately(file, false))) {
      return undefined;
    }
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** Dumps a fresh cluster as the template, if there is none yet. Never throws. */
export async function saveTemplate(db: DumpableDb, file: string | undefined): Promise<void> {
  if (!file) return;
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const dir = dirname(file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!(await ownedPrivately(dir, true))) return;
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      return;
    const dump = await db.dumpDataDir('none');
    await writeFile(temp, new Uint8Array(await dump.arrayBuffer()), { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
  }
}
