/**
 * PGlite in a data directory: data survives a reopen, one process at a time holds the
 * directory (a second gets one clear error), and a lock left by a dead process does not
 * stop the next start.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
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

/** The pid on the first line of a lock file. */
async function lockPid(lock: string): Promise<number> {
  return Number((await readFile(lock, 'utf8')).split('\n')[0]);
}

/** A process that runs until killed: a pid that is alive but holds no lock. */
async function bystander(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  await once(child, 'spawn');
  return child;
}

async function end(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
}

const hasProc = existsSync('/proc/self/stat');

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
    expect(existsSync(join(dataDir, 'pgdata.creating')), 'made: the marker is gone').toBe(false);

    const second = await pgliteStorage({ dataDir });
    expect(await second.users.findUserByUsername('alice')).toMatchObject({ id: 'id-Alice' });
    expect(await second.sessions.findToken('hash-1')).toMatchObject({ familyId: 'fam-1' });
    expect(await second.rateLimits.peek('login:alice', T0)).toEqual({
      count: 1,
      resetAt: T0 + 60_000,
    });
    await second.close();
  });

  it('makes again a cluster that a killed first start left half made (marked pgdata.creating)', async () => {
    // What a first start killed while making the cluster leaves: files, but no cluster.
    await rm(join(dir, 'pgdata', 'global', 'pg_control'));
    await writeFile(join(dir, 'pgdata.creating'), '');
    const storage = await pgliteStorage({ dataDir: dir });
    await storage.users.createUser(user('Alice'));
    await storage.close();
    expect(existsSync(join(dir, 'pgdata.creating'))).toBe(false);
    const again = await pgliteStorage({ dataDir: dir });
    expect(await again.users.findUserByUsername('alice')).toMatchObject({ id: 'id-Alice' });
    await again.close();
  });

  it('never remakes a broken cluster it did not start making: one line naming the variable', async () => {
    await rm(join(dir, 'pgdata', 'global', 'pg_control'));
    const error = await storageFromEnv({ dataDir: dir }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `AUTH_DATA_DIR ${dir}: the embedded database in ${join(dir, 'pgdata')} cannot be opened: it is damaged, or was made by another version of PGlite`,
    );
    expect(existsSync(join(dir, 'pgdata', 'PG_VERSION')), 'its files are kept').toBe(true);
  });

  it('names AUTH_DATA_DIR when its pgdata is a file, not a directory', async () => {
    await rm(join(dir, 'pgdata'), { recursive: true });
    await writeFile(join(dir, 'pgdata'), '');
    const error = await storageFromEnv({ dataDir: dir }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `AUTH_DATA_DIR ${dir}: ${join(dir, 'pgdata')} is not a directory`,
    );
  });

  it('holds a lock file naming this process while open, and releases it on close', async () => {
    const storage = await pgliteStorage({ dataDir: dir });
    const lock = join(dir, 'auth-pg.lock');
    expect(await lockPid(lock)).toBe(process.pid);
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
    expect(await lockPid(lock)).toBe(process.pid);
    await storage.close();
    expect(existsSync(lock)).toBe(false);
  });

  it.runIf(hasProc)('writes its pid, then its boot id and start time, to the lock', async () => {
    const storage = await pgliteStorage({ dataDir: dir });
    try {
      const [pid, identity] = (await readFile(join(dir, 'auth-pg.lock'), 'utf8')).split('\n');
      expect(Number(pid)).toBe(process.pid);
      expect(identity).toMatch(/^[0-9a-f-]{36}:\d+$/);
    } finally {
      await storage.close();
    }
  });

  it.runIf(hasProc)(
    'takes over a lock whose pid now runs another process (a pid reused after a crash)',
    async () => {
      const other = await bystander();
      try {
        const lock = join(dir, 'auth-pg.lock');
        const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
        const stat = await readFile(`/proc/${other.pid}/stat`, 'utf8');
        const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
        // Written by the process at that pid (boot and start time match): held.
        await writeFile(lock, `${other.pid}\n${boot}:${started}\n`);
        const error = await pgliteStorage({ dataDir: dir }).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'DataDirLockedError', pid: other.pid });
        // Written by a holder that started at another time than the process now at its pid.
        await writeFile(lock, `${other.pid}\n${boot}:1\n`);
        const storage = await pgliteStorage({ dataDir: dir });
        expect(await lockPid(lock)).toBe(process.pid);
        await storage.close();
      } finally {
        await end(other);
      }
    },
  );

  it('still refuses a lock of the older form (a pid alone) naming a live process', async () => {
    const other = await bystander();
    try {
      await writeFile(join(dir, 'auth-pg.lock'), `${other.pid}\n`);
      const error = await pgliteStorage({ dataDir: dir }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DataDirLockedError', pid: other.pid });
    } finally {
      await end(other);
    }
  });

  it.runIf(hasProc)('takes over a lock whose holder is a zombie', async () => {
    // `sleep 0` ends at once, and its parent, now `sleep 600`, never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 600'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      const state = () =>
        readFile(`/proc/${zombie}/stat`, 'utf8').then((t) =>
          t.slice(t.lastIndexOf(')') + 2, t.lastIndexOf(')') + 3),
        );
      while ((await state()) !== 'Z') await new Promise((resolve) => setImmediate(resolve));
      await writeFile(join(dir, 'auth-pg.lock'), `${zombie}\n`);
      await (await pgliteStorage({ dataDir: dir })).close();
    } finally {
      await end(parent);
    }
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
