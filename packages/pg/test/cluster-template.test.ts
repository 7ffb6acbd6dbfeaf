/**
 * The cached template of a new PGlite cluster: written once by the first new cluster, in a
 * directory only this user can write; later new clusters start from it; a template another
 * user could have written is ignored, and one PGlite can't load falls back to initdb.
 */
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { pgliteStorage } from '../src/index.js';
import { tempDirs } from './helpers.js';

const T0 = 1_767_225_600_000;
const fresh = tempDirs();

function user(name: string) {
  return {
    id: `id-${name}`,
    username: name,
    usernameKey: name,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: ['user'],
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
  };
}

/** Opens a new store in a new data dir, stores a user, closes; returns the data dir. */
async function newStore(templateDir: string, name: string): Promise<string> {
  const dataDir = await fresh();
  const storage = await pgliteStorage({ dataDir, templateDir });
  await storage.users.createUser(user(name));
  expect((await storage.users.findUserByUsername(name))?.id).toBe(`id-${name}`);
  await storage.close();
  return dataDir;
}

/** True when the cluster of `dataDir` has the table `planted`. */
async function planted(dataDir: string): Promise<boolean> {
  const db = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
  try {
    const { rows } = await db.query(`SELECT to_regclass('public.planted') IS NOT NULL AS found`);
    return (rows[0] as { found: boolean }).found;
  } finally {
    await db.close();
  }
}

describe('the cluster template', () => {
  it('is written once, privately; new clusters start from it, unless others could write it', async () => {
    const templateDir = join(await fresh(), 'cache');
    const first = await newStore(templateDir, 'ann');
    const [name] = await readdir(templateDir);
    expect(name).toMatch(/^pglite-[0-9][0-9A-Za-z.+-]*-cluster\.tar$/);
    const file = join(templateDir, name!);
    expect((await stat(templateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // The template holds no data: it was dumped before anything was stored.
    expect(await planted(first)).toBe(false);

    // A template with a mark of its own shows which clusters start from it.
    const marked = await PGlite.create({
      loadDataDir: new Blob([await readFile(file)]),
    });
    await marked.exec('CREATE TABLE planted (x int)');
    const dump = await marked.dumpDataDir('none');
    await marked.close();
    await writeFile(file, new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 });
    expect(await planted(await newStore(templateDir, 'bob'))).toBe(true);

    // Writable by others: not trusted, so initdb makes the cluster.
    await chmod(file, 0o666);
    expect(await planted(await newStore(templateDir, 'cy'))).toBe(false);

    // Not a dump PGlite can load: initdb, on a clean directory.
    await writeFile(file, 'not a tarball');
    await chmod(file, 0o600);
    expect(await planted(await newStore(templateDir, 'dee'))).toBe(false);
  });
});
