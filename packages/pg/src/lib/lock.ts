/**
 * A lock file that gives one process a data directory. PGlite has no lock of its own, and
 * two processes opening one directory would corrupt it; with this lock the second gets
 * one clear error. A lock left by a process that died is stale and is taken over: its pid
 * no longer runs, or (where `/proc` tells) runs as a zombie or as another process, one
 * started at another time than the lock's holder (a pid reused after a crash).
 */

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { link, readFile, rename, unlink } from 'node:fs/promises';

/** A data directory is held by another live process (or already open in this one). */
export class DataDirLockedError extends Error {
  /** The directory, as given. */
  readonly dataDir: string;
  /** Pid of the process holding it. */
  readonly pid: number;

  /**
   * @param dataDir - the directory, as given
   * @param pid - the holder's pid
   * @param label - how the message names the directory, e.g. `AUTH_DATA_DIR`
   */
  constructor(dataDir: string, pid: number, label = 'data directory') {
    const holder =
      pid === process.pid ? 'is already open in this process' : 'is in use by another process';
    super(`${label} ${dataDir} ${holder} (pid ${pid})`);
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** A held lock. */
export interface DirLock {
  /** Removes the lock file if it is still ours; idempotent. */
  release(): void;
}

const ATTEMPTS = 5;
/** Lock files this process holds, by path: a pid of ours in any other is a previous life's. */
const held = new Set<string>();
/** How long a lock file may stay empty (created, pid not yet written) before it counts as stale. */
const EMPTY_GRACE_MS = 1_000;
const EMPTY_POLL_MS = 50;

/**
 * Takes the lock file `lockPath` for this process.
 * @param lockPath - absolute path of the lock file
 * @param dataDir - the directory it guards, as the message shows it
 * @param label - how the message names the directory
 * @throws DataDirLockedError when a live process, or this one, holds it
 */
export async function acquireDirLock(
  lockPath: string,
  dataDir: string,
  label?: string,
): Promise<DirLock> {
  if (held.has(lockPath)) throw new DataDirLockedError(dataDir, process.pid, label);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createLockFile(lockPath)) return heldLock(lockPath);
    const holder = await readHolder(lockPath);
    if (holder === undefined) continue; // vanished: try to create it again
    // Our own pid in a lock we do not hold was left by an earlier process that had the
    // same pid (a restarted container's pid 1): stale.
    if (isOther(holder) && isAlive(holder)) {
      throw new DataDirLockedError(dataDir, holder.pid, label);
    }
    await takeOverStale(lockPath, holder, dataDir, label);
  }
  throw new Error(`could not lock ${dataDir}: the lock file keeps changing`);
}

/** A lock file's holder: its pid, and when known what tells that process from a later one. */
interface Holder {
  readonly pid: number;
  /** `/proc`'s boot id and start time of the process, or `''` where there is no `/proc`. */
  readonly identity: string;
}

/** Boot id and start time of process `pid` from `/proc`; `''` when unreadable. */
function identityOf(pid: number): string {
  const stat = procStat(pid);
  let boot = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
  // Fields after the command name (which may hold spaces and parentheses): the start time
  // is the 22nd field of the line, the 20th after the name.
  const start = stat?.[19];
  return start ? `${boot}:${start}` : '';
}

/** The fields of `/proc/<pid>/stat` after the command name, or `undefined`. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const ownIdentity = (): string => identityOf(process.pid);

/** Creates the lock file holding our pid; false when it exists. */
function createLockFile(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n${ownIdentity()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The holder named in the lock file: `null` when the file stays empty or unreadable as a
 * pid (a stale remnant), `undefined` when the file is gone.
 */
async function readHolder(lockPath: string): Promise<Holder | null | undefined> {
  // Poll a fixed number of times rather than reading the time: 20 × 50 ms = EMPTY_GRACE_MS.
  for (let attempt = 1; ; attempt++) {
    const text = await readFile(lockPath, 'utf8').catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    const holder = parseHolder(text);
    if (holder) return holder;
    // Another process may have just created it and not yet written its pid.
    if (text.trim() === '' && attempt * EMPTY_POLL_MS < EMPTY_GRACE_MS) {
      await new Promise((resolve) => setTimeout(resolve, EMPTY_POLL_MS));
      continue;
    }
    return null;
  }
}

/** The pid on the first line and the identity on the second (absent in older lock files). */
function parseHolder(text: string): Holder | null {
  const [first = '', second = ''] = text.split('\n');
  const pid = Number(first.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, identity: second.trim() } : null;
}

/**
 * Whether the holder still runs: a process with its pid exists (one of another user counts
 * as running), is not a zombie, and, where both are known, started when the holder did.
 */
function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  const state = procStat(holder.pid)?.[0];
  if (state === 'Z' || state === 'X') return false;
  const now = holder.identity === '' ? '' : identityOf(holder.pid);
  return now === '' || now === holder.identity;
}

const isOther = (holder: Holder | null | undefined): holder is Holder =>
  !!holder && holder.pid !== process.pid;

/**
 * Removes a stale lock file by renaming it aside (atomic: of two processes doing this at
 * once, one wins). If what was renamed is not the stale file any more but a live lock
 * another process took in between, it is put back and that process is reported.
 */
async function takeOverStale(
  lockPath: string,
  stale: Holder | null,
  dataDir: string,
  label: string | undefined,
): Promise<void> {
  const aside = `${lockPath}.${process.pid}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  const same = moved?.pid === stale?.pid && moved?.identity === stale?.identity;
  if (isOther(moved) && !same && isAlive(moved)) {
    await link(aside, lockPath).catch(() => {});
    await unlink(aside).catch(() => {});
    throw new DataDirLockedError(dataDir, moved.pid, label);
  }
  await unlink(aside).catch(() => {});
}

function heldLock(lockPath: string): DirLock {
  held.add(lockPath);
  let holding = true;
  const release = (): void => {
    if (!holding) return;
    holding = false;
    held.delete(lockPath);
    process.removeListener('exit', release);
    try {
      // Only remove the file while it still names us.
      if (parseHolder(readFileSync(lockPath, 'utf8'))?.pid === process.pid) unlinkSync(lockPath);
    } catch {
      // Gone already, or the directory was removed: nothing to release.
    }
  };
  // Released on a normal exit; after a crash or a signal the pid check finds it stale.
  process.on('exit', release);
  return { release };
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
}
