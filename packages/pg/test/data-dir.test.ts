/**
 * PGlite in a data directory: data survives a reopen, one process at a time holds the
 * directory (a second gets one clear error), and a lock left by a dead process does not
 * stop the next start.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, pgliteStorage, storageFromEnv } from '../src/index.js';
import { removeDir, tempDir } from './helpers.js';

const T0 = 1_767_225_600_000;
const tsx = createRequire(import.meta.url).resolve('tsx');
const holder = new URL('./fixtures/hold-data-dir.ts', import.meta.url).pathname;

// One initialised, migrated data dir, copied for each case: initdb is the slow part.
let template: string;
beforeAll(async () => {
  template = await tempDir();
  await (await pgliteStorage({ dataDir: template })).close();
});
afterAll(async () => {
  await removeDir(template);
});

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
  await cp(join(template, 'pgdata'), join(dir, 'pgdata'), { recursive: true });
});
afterEach(async () => {
  await removeDir(dir);
});

function user(name: string) {
  return {
    id: `id-${name}`,
    username: name,
    usernameKey: name.toLowerCase(),
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: ['user'],
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
  };
}

/** Starts a child process that opens `dataDir` and holds it; resolves once it has. */
async function holdInChild(dataDir: string, username: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', tsx, holder, dataDir, username], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited (${code}): ${output}`)));
  });
  return child;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('pglite data dir', () => {
  it('keeps data across a reopen, and creates the directory with its parents', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await pgliteStorage({ dataDir });
    await first.users.createUser(user('Alice'));
    await first.sessions.createFamily(
      { id: 'fam-1', userId: 'id-Alice', createdAt: T0 },
      { tokenHash: 'hash-1', expiresAt: T0 + 60_000 },
    );
    await first.rateLimits.hit('login:alice', 60_000, T0, 5);
    await first.close();
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'auth-pg.lock'))).toBe(false);

    const second = await pgliteStorage({ dataDir });
    expect(await second.users.findUserByUsername('alice')).toMatchObject({ id: 'id-Alice' });
    expect(await second.sessions.findToken('hash-1')).toMatchObject({ familyId: 'fam-1' });
    expect(await second.rateLimits.peek('login:alice', T0)).toEqual({
      count: 1,
      resetAt: T0 + 60_000,
    });
    await second.close();
  });

  it('holds a lock file naming this process while open, and releases it on close', async () => {
    const storage = await pgliteStorage({ dataDir: dir });
    const lock = join(dir, 'auth-pg.lock');
    expect((await readFile(lock, 'utf8')).trim()).toBe(String(process.pid));
    const again = await pgliteStorage({ dataDir: dir }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DataDirLockedError);
    expect((again as Error).message).toBe(
      `PGlite data directory ${dir} is already open in this process (pid ${process.pid})`,
    );
    await symlink(dir, `${dir}-link`);
    try {
      const viaLink = await pgliteStorage({ dataDir: `${dir}-link` }).catch((e: unknown) => e);
      expect(viaLink).toBeInstanceOf(DataDirLockedError);
    } finally {
      await unlink(`${dir}-link`);
    }
    await storage.close();
    await storage.close();
    expect(existsSync(lock)).toBe(false);
    await (await pgliteStorage({ dataDir: dir })).close();
  });

  it('refuses a directory another live process holds, with one clear line', async () => {
    const child = await holdInChild(dir, 'Bob');
    try {
      const error = await pgliteStorage({ dataDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect(error).toMatchObject({ pid: child.pid, dataDir: dir });
      expect((error as Error).message).toBe(
        `PGlite data directory ${dir} is in use by another process (pid ${child.pid})`,
      );
      const fromEnv = await storageFromEnv({ dataDir: dir }).catch((e: unknown) => e);
      expect((fromEnv as Error).message).toBe(
        `AUTH_DATA_DIR ${dir} is in use by another process (pid ${child.pid})`,
      );
      expect((fromEnv as Error).message).not.toContain('\n');
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => {});
    }
    // The holder was killed without releasing: its lock is stale, its data intact.
    expect(existsSync(join(dir, 'auth-pg.lock'))).toBe(true);
    const storage = await pgliteStorage({ dataDir: dir });
    try {
      expect(await storage.users.findUserByUsername('bob')).toMatchObject({ id: 'id-Bob' });
      await storage.users.createUser(user('Carol'));
      expect(await storage.users.findUserByUsername('carol')).not.toBeNull();
    } finally {
      await storage.close();
    }
  });

  it('takes over a stale lock left by a dead process', async () => {
    const lock = join(dir, 'auth-pg.lock');
    await writeFile(lock, `${await deadPid()}\n`);
    const storage = await pgliteStorage({ dataDir: dir });
    expect((await readFile(lock, 'utf8')).trim()).toBe(String(process.pid));
    await storage.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock naming this pid from an earlier life (a restarted container)', async () => {
    await writeFile(join(dir, 'auth-pg.lock'), `${process.pid}\n`);
    await (await pgliteStorage({ dataDir: dir })).close();
  });

  it('takes over an empty or garbled lock file', async () => {
    const lock = join(dir, 'auth-pg.lock');
    await writeFile(lock, '');
    await (await pgliteStorage({ dataDir: dir })).close();
    await writeFile(lock, 'not a pid');
    await (await pgliteStorage({ dataDir: dir })).close();
  });
});
