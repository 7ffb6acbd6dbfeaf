/**
 * Starts an example app exactly as a user does (`pnpm --dir examples/<name> start`), waits
 * for its `listening on http://host:port` line, and stops it with a signal.
 *
 * pnpm runs the script as `pnpm → sh -c → tsx → node`. A terminal's Ctrl-C signals that
 * whole process group, but pnpm itself then dies of the signal whatever the app did, so the
 * exit code would say nothing about the app. {@link RunningExample.stop} therefore signals
 * every process of the group except pnpm and the shell it runs the script in: the app gets
 * the signal as it would from a terminal, and pnpm's exit code is the app's. Instances that
 * no case about pnpm needs run their start script without it ({@link LaunchMode}).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example apps under `examples/`. */
export type ExampleName = 'express' | 'hono' | 'node-http';

/** The repository root, found from this file (not hard-coded). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The HS256 secret every instance gets unless a test unsets it (50 bytes). */
export const SECRET = 'contract-tests-secret-0123456789-abcdefghijklmnopq';

/** The admin seeded through `AUTH_ADMIN_USERNAME` / `AUTH_ADMIN_PASSWORD`. */
export const ADMIN = { username: 'contract-admin', password: 'contract-admin-password-1' };

/** Extra environment; `undefined` removes a variable. */
export type EnvOverrides = Readonly<Record<string, string | undefined>>;

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started example's process group: `pnpm start`, or its start script ({@link LaunchMode}). */
export interface ExampleProcess {
  readonly name: ExampleName;
  /** pid of pnpm (or of the start script's process), which is also the process-group id. */
  readonly pid: number;
  /** How it was started. */
  readonly mode: LaunchMode;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when pnpm has exited and its output is drained. */
  readonly exited: Promise<ExitInfo>;
  /** True once pnpm has exited. */
  hasExited(): boolean;
}

/** An example that printed its `listening on` line. */
export interface RunningExample extends ExampleProcess {
  /** `http://host:port`, as printed by the app. */
  readonly url: string;
  /** The whole `listening on …` line. */
  readonly listeningLine: string;
  /**
   * Signals the app (not pnpm) and waits for the whole thing to exit.
   * @returns pnpm's exit code, which is the app's
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Sends `signal` to the app (not pnpm) as {@link stop} does, without waiting. */
  signal(signal: NodeJS.Signals): void;
}

const LISTENING = /^listening on (http:\/\/\S+)$/m;
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh']);
const live = new Set<ChildProcess>();

function environment(overrides: EnvOverrides): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AUTH_|VITEST|npm_|PNPM_)/i.test(key)) continue;
    if (['PORT', 'HOST', 'NODE_ENV', 'DATABASE_URL', 'TEST'].includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, { PORT: '0', HOST: '127.0.0.1', AUTH_SECRET: SECRET });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** A fresh, empty directory for an instance's embedded store. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'auth-contract-'));
}

/**
 * How an example is started: `pnpm` runs `pnpm --dir examples/<name> start`, as a user does;
 * `script` runs that package's `start` script itself (`sh -c`, in `examples/<name>`, with its
 * `node_modules/.bin` on the `PATH`), as pnpm does, without pnpm's own start-up (about a
 * second of CPU, which dozens of short-lived instances would spend). The cases that are about
 * pnpm (its exit code, signals through it) and the main instance use `pnpm`.
 */
export type LaunchMode = 'pnpm' | 'script';

/** The `start` script of `examples/<name>/package.json`. */
function startScript(name: ExampleName): string {
  const manifest = JSON.parse(
    readFileSync(join(REPO_ROOT, 'examples', name, 'package.json'), 'utf8'),
  ) as { scripts?: { start?: unknown } };
  const script = manifest.scripts?.start;
  if (typeof script !== 'string') throw new Error(`examples/${name} has no start script`);
  return script;
}

/**
 * Starts example `name` (see {@link LaunchMode}) in its own process group. Unless
 * `overrides` names an `AUTH_DATA_DIR`, the instance gets a fresh one (removed when it
 * exits), so no two instances share a store and nothing is left in `examples/<name>/.data`.
 */
export function launch(
  name: ExampleName,
  overrides: EnvOverrides = {},
  mode: LaunchMode = 'pnpm',
): ExampleProcess {
  const ownDataDir = 'AUTH_DATA_DIR' in overrides ? undefined : tempDataDir();
  const env = environment(ownDataDir ? { AUTH_DATA_DIR: ownDataDir, ...overrides } : overrides);
  const options: SpawnOptions = { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] };
  let child: ChildProcess;
  if (mode === 'pnpm') {
    child = spawn('pnpm', ['--dir', `examples/${name}`, 'start'], { ...options, cwd: REPO_ROOT });
  } else {
    const cwd = join(REPO_ROOT, 'examples', name);
    const bin = join(cwd, 'node_modules', '.bin');
    child = spawn('sh', ['-c', startScript(name)], {
      ...options,
      cwd,
      env: { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ''}` },
    });
  }
  live.add(child);
  let out = '';
  let err = '';
  let done = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    let info: ExitInfo | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      live.delete(child);
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      resolve(info ?? { code: child.exitCode, signal: child.signalCode });
    };
    child.on('error', (error) => {
      err += `\n[harness] spawn failed: ${error.message}`;
      finish();
    });
    child.on('exit', (code, signal) => {
      info = { code, signal };
      // A grandchild may hold the pipes open; do not wait for it for ever.
      setTimeout(finish, 2_000).unref();
    });
    child.on('close', finish);
  });
  if (child.pid === undefined) throw new Error(`could not spawn pnpm for ${name}`);
  return {
    name,
    pid: child.pid,
    mode,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
  };
}

function describeOutput(proc: ExampleProcess): string {
  return `\n--- stdout ---\n${proc.stdout()}\n--- stderr ---\n${proc.stderr()}`;
}

/** The processes of process group `pgid`, from /proc (Linux). */
function groupMembers(pgid: number): Array<{ pid: number; ppid: number; comm: string }> {
  const members: Array<{ pid: number; ppid: number; comm: string }> = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return members;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [, ppid, pgrp] = stat
        .slice(close + 2)
        .split(' ')
        .map(Number);
      if (pgrp === pgid) members.push({ pid: Number(entry), ppid: ppid ?? 0, comm });
    } catch {
      // the process went away while we looked
    }
  }
  return members;
}

/**
 * Sends `signal` to the app. Started through pnpm: every process of the group except pnpm
 * and its shell. Started by its script: the group's leader, which the script's `exec` made
 * the app (not the rest of its group: tsx's esbuild service, say).
 */
export function signalApp(pgid: number, signal: NodeJS.Signals, mode: LaunchMode = 'pnpm'): void {
  if (mode === 'script') {
    try {
      process.kill(pgid, signal);
    } catch {
      // already gone
    }
    return;
  }
  const targets = groupMembers(pgid).filter(
    (p) => p.pid !== pgid && !(p.ppid === pgid && SHELLS.has(p.comm)),
  );
  if (targets.length === 0) {
    // No /proc, or nothing below pnpm: signal the whole group as a terminal would.
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
    return;
  }
  for (const target of targets) {
    try {
      process.kill(target.pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Kills the whole group of `proc` at once. */
export function killGroup(proc: ExampleProcess): void {
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every process group this module started that is still running. */
export function killAll(): void {
  for (const child of live) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function timeout<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}

/**
 * Starts an example and waits for its `listening on http://…` line.
 * @param env - extra environment (PORT=0, HOST=127.0.0.1 and AUTH_SECRET are preset)
 * @param mode - through pnpm (the default) or its start script alone: {@link LaunchMode}
 * @throws when the app exits or stays silent for 30 s; the message holds its output
 */
export async function startExample(
  name: ExampleName,
  env: EnvOverrides = {},
  timeoutMs = 30_000,
  mode: LaunchMode = 'pnpm',
): Promise<RunningExample> {
  const proc = launch(name, env, mode);
  const deadline = Date.now() + timeoutMs;
  let match: RegExpMatchArray | null = null;
  while (!match) {
    match = proc.stdout().match(LISTENING);
    if (match) break;
    if (proc.hasExited()) {
      const { code, signal } = await proc.exited;
      throw new Error(
        `${name} exited (code ${code}, signal ${signal}) before printing "listening on http://…"${describeOutput(proc)}`,
      );
    }
    if (Date.now() > deadline) {
      killGroup(proc);
      throw new Error(
        `${name} printed no "listening on http://…" line within ${timeoutMs} ms${describeOutput(proc)}`,
      );
    }
    await timeout(25, undefined);
  }
  const url = match[1]!.replace(/\/$/, '');
  return {
    ...proc,
    url,
    listeningLine: match[0],
    async stop(signal: NodeJS.Signals = 'SIGTERM', waitMs = 10_000) {
      if (!proc.hasExited()) signalApp(proc.pid, signal, proc.mode);
      const result = await Promise.race([proc.exited, timeout(waitMs, undefined)]);
      if (!result) {
        killGroup(proc);
        throw new Error(
          `${name} did not exit within ${waitMs} ms of ${signal}${describeOutput(proc)}`,
        );
      }
      return result.code;
    },
    signal(signal: NodeJS.Signals) {
      if (!proc.hasExited()) signalApp(proc.pid, signal, proc.mode);
    },
  };
}

/** What a process that should refuse to start did. */
export interface RefusedStart extends ExitInfo {
  readonly stdout: string;
  readonly stderr: string;
  /** True when it printed `listening on` instead of exiting (it was then killed). */
  readonly listened: boolean;
}

/** Runs an example that is expected to exit by itself (a configuration error). */
export async function runUntilExit(
  name: ExampleName,
  env: EnvOverrides,
  timeoutMs = 30_000,
  mode: LaunchMode = 'pnpm',
): Promise<RefusedStart> {
  const proc = launch(name, env, mode);
  const deadline = Date.now() + timeoutMs;
  while (!proc.hasExited() && !LISTENING.test(proc.stdout()) && Date.now() < deadline) {
    await timeout(25, undefined);
  }
  const listened = !proc.hasExited();
  if (listened) killGroup(proc);
  const { code, signal } = await proc.exited;
  return { code, signal, stdout: proc.stdout(), stderr: proc.stderr(), listened };
}

/**
 * The lines the app itself wrote, without pnpm's own (`> pkg start`, `> tsx …`,
 * ` ELIFECYCLE …`, ` WARN …`) and without blank lines.
 */
export function appLines(output: string): string[] {
  return output
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .filter((line) => !/^> /.test(line) && !/^\s*(ELIFECYCLE|WARN)\s/.test(line));
}
