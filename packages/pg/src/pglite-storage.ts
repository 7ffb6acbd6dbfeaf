/**
 * {@link pgliteStorage}: the store on embedded PostgreSQL (PGlite, compiled to WebAssembly),
 * in memory or kept in a directory. Zero setup; one process per directory.
 */

import { realpath, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  defaultTemplateDir,
  readTemplate,
  saveTemplate,
  templateFile,
} from './lib/cluster-template.js';
import { acquireDirLock, type DirLock } from './lib/lock.js';
import { makeDirectory } from './lib/make-directory.js';
import { type LocationOptions, tableNames } from './lib/names.js';
import { pgliteQueryable } from './lib/queryable.js';
import { unpackCluster } from './lib/unpack-cluster.js';
import { type PgAuthStorage, sqlStorage } from './sql-storage.js';

/** Name of the lock file in the data directory. */
export const LOCK_FILE = 'auth-pg.lock';
/** Name of the directory, inside the data directory, that holds PGlite's files. */
export const PGDATA_DIR = 'pgdata';
/**
 * Name of the file that marks a cluster being created in the data directory: written before
 * `pgdata/` is made, removed once it is created and migrated. Found at a start, it tells of a
 * first start cut short (a kill), whose half-made cluster holds nothing and is made again.
 */
export const CREATING_FILE = 'pgdata.creating';

/** Options of {@link pgliteStorage}. */
export interface PgliteStorageOptions extends LocationOptions {
  /**
   * Directory to keep the data in, created (with its parents) when missing; it holds
   * `pgdata/` (PGlite's files) and the lock file `auth-pg.lock`. Only one process may
   * open it at a time. Default: none, the data lives in memory and is lost on `close()`.
   */
  dataDir?: string;
  /**
   * How error messages name the directory, e.g. `AUTH_DATA_DIR`.
   * Default `PGlite data directory`.
   */
  dataDirLabel?: string;
  /** Apply the migrations before resolving. Default `true`. */
  migrate?: boolean;
  /**
   * Where a template of a new cluster is cached: PGlite's `initdb` takes seconds, and a new
   * cluster (a new `dataDir`, or in memory) loaded from a dump of a fresh one starts several
   * times faster. The first new cluster writes the template, before anything is stored in
   * it; one file per PGlite version, in a directory only this user can write (a file
   * another user could have written is ignored). `false`: run `initdb` every time.
   * Default `$XDG_CACHE_HOME/auth-pg`, else `~/.cache/auth-pg`.
   */
  templateDir?: string | false;
}

/**
 * Opens embedded PostgreSQL (PGlite) and resolves the store on it, migrated. PGlite is a
 * single connection: it runs one statement or one whole transaction at a time, so
 * concurrent calls are serialised and every contract guarantee holds. A data directory
 * is locked for this process until `close()` (or exit); a lock left by a process that
 * died is taken over.
 * @param options - see {@link PgliteStorageOptions}
 * @returns the store; call `close()` to flush and release the directory. A script must
 *   await it before it ends: an open PGlite keeps timers of its own that hold the process
 *   open for a minute or more
 * @throws DataDirLockedError when another live process has the directory open:
 *   `PGlite data directory ./.data is in use by another process (pid 1234)`
 * @throws AuthConfigError when `schema` or `tablePrefix` is not a safe identifier
 * @example
 * ```ts
 * import { pgliteStorage } from '@auth/pg';
 *
 * const storage = await pgliteStorage({ dataDir: './.data' });
 * const auth = createAuth({ storage, … });
 * setInterval(() => storage.prune(systemClock.now()), 5 * 60_000).unref();
 * process.on('SIGTERM', () => storage.close());
 * ```
 */
export async function pgliteStorage(options: PgliteStorageOptions = {}): Promise<PgAuthStorage> {
  const { dataDir } = options;
  tableNames(options); // refuse bad names before touching the directory
  let lock: DirLock | undefined;
  if (dataDir !== undefined) {
    await makeDirectory(dataDir);
    const label = options.dataDirLabel ?? 'PGlite data directory';
    // The real path, so that two spellings of one directory (a symlink) are one lock.
    lock = await acquireDirLock(join(await realpath(dataDir), LOCK_FILE), dataDir, label);
  }
  try {
    const cluster =
      dataDir === undefined
        ? undefined
        : { pgdata: join(dataDir, PGDATA_DIR), creating: join(dataDir, CREATING_FILE) };
    const pgdata = cluster?.pgdata;
    // In memory, every cluster is new.
    const fresh = cluster === undefined || (await startCreating(cluster));
    const template =
      fresh && options.templateDir !== false
        ? templateFile(options.templateDir ?? defaultTemplateDir())
        : undefined;
    const db = await openCluster(pgdata, template).catch((error: unknown) => {
      if (fresh) throw error;
      // PGlite says only `Aborted()` or "failed to initialize properly" here.
      throw new Error(
        `the embedded database in ${pgdata} cannot be opened: it is damaged, or was made by another version of PGlite`,
        { cause: error },
      );
    });
    const storage = sqlStorage(pgliteQueryable(db), {
      schema: options.schema,
      tablePrefix: options.tablePrefix,
      kind: 'pglite',
      onClose: () => lock?.release(),
    });
    if (options.migrate !== false) {
      try {
        await storage.migrate();
      } catch (error) {
        await storage.close();
        throw error;
      }
    }
    if (fresh && cluster) await rm(cluster.creating, { force: true });
    return storage;
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * Opens PGlite on `pgdata` (in memory when undefined). A new cluster is loaded from the
 * template file when there is one; otherwise `initdb` makes it, and it becomes the template.
 */
async function openCluster(pgdata: string | undefined, template: string | undefined) {
  const { PGlite } = await import('@electric-sql/pglite');
  const where = pgdata === undefined ? {} : { dataDir: pgdata };
  const dump = await readTemplate(template);
  if (dump) {
    try {
      if (pgdata === undefined) return await PGlite.create({ loadDataDir: new Blob([dump]) });
      // On disk, unpacked by plain file writes: 0.6 s sooner than `loadDataDir`.
      await unpackCluster(dump, pgdata);
      return await PGlite.create(where);
    } catch {
      // A template PGlite can't load: start over with initdb, on an empty directory.
      if (pgdata !== undefined) await rm(pgdata, { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(where);
  await saveTemplate(db, template);
  return db;
}

/**
 * Readies `pgdata` for opening: a cluster a killed first start left half made (its
 * `creating` marker still there) is removed. True when there is no cluster, after writing
 * the marker: the caller makes one, then removes the marker.
 */
async function startCreating(cluster: { pgdata: string; creating: string }): Promise<boolean> {
  const { pgdata, creating } = cluster;
  const interrupted = await stat(creating).then(
    () => true,
    () => false,
  );
  // Nothing was ever stored in a cluster whose making was cut short.
  if (interrupted) await rm(pgdata, { recursive: true, force: true });
  const info = await stat(pgdata).catch(() => undefined);
  if (info && !info.isDirectory()) throw new Error(`${pgdata} is not a directory`);
  if (info) return false;
  await writeFile(creating, '');
  return true;
}
