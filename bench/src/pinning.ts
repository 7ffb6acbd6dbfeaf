/**
 * Core pinning for the HTTP section, on Linux with `taskset`: the server under test on one
 * core and the load generator (this process) on another. Unpinned, the scheduler keeps
 * moving both, and their GC threads, between the cores and often runs two on one: the same
 * route's requests per second then spread by ±20 % from round to round, which drowns the
 * few per cent the targets compare. Every target of a run is pinned alike.
 */
import { execFileSync } from 'node:child_process';

/** Pinning in force for one section; `restore` gives this process its cores back. */
export interface Pinning {
  /** What was pinned where, for RESULTS.md. */
  readonly description: string;
  /** Pins a server (all its threads) to the server's core. */
  pin(pid: number): void;
  /** Gives this process (all its threads) the cores it had before. */
  restore(): void;
}

/** `0-2,5` → [0, 1, 2, 5]. */
function cpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [from, to] = part.trim().split('-').map(Number) as [number, number?];
    if (!Number.isInteger(from)) continue;
    for (let c = from; c <= (to ?? from); c++) cpus.push(c);
  }
  return cpus;
}

function taskset(args: string[]): string {
  return execFileSync('taskset', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/**
 * Pins this process to the first core it may use and returns how to pin servers to the
 * second; `undefined` (nothing pinned) where that can't be done: not Linux, no `taskset`,
 * or fewer than two cores allowed.
 */
export function pinCores(): Pinning | undefined {
  if (process.platform !== 'linux') return undefined;
  let allowed: string;
  try {
    // "pid 123's current affinity list: 0,1"
    allowed =
      taskset(['-c', '-p', String(process.pid)])
        .split(':')
        .pop()
        ?.trim() ?? '';
  } catch {
    return undefined;
  }
  const [bench, server] = cpuList(allowed);
  if (bench === undefined || server === undefined) return undefined;
  const set = (cpus: string, pid: number) => taskset(['-a', '-c', '-p', cpus, String(pid)]);
  try {
    set(String(bench), process.pid);
  } catch {
    return undefined;
  }
  return {
    description: `each server pinned to CPU ${server} and the load generator to CPU ${bench} (taskset)`,
    pin: (pid) => void set(String(server), pid),
    restore: () => void set(allowed, process.pid),
  };
}
