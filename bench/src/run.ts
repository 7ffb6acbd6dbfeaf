/**
 * `pnpm bench [verify] [http] [hashing] [memory]`: runs the comparisons (all by default) in
 * one process on this machine, prints the targets as ratios and writes RESULTS.md and
 * results.svg. A full run of every section writes them to `bench/`; `BENCH_SMOKE=1`
 * (`pnpm bench:smoke`) or a subset of sections writes them to a directory in the system's
 * temporary directory instead, so RESULTS.md is only ever the figures of a whole run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commit, log, SMOKE, settings } from './common.js';
import type { Results } from './report.js';

const bench = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const SECTIONS = ['verify', 'http', 'hashing', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

const asked = process.argv.slice(2).filter((a) => a !== '--');
for (const a of asked) {
  if (!(SECTIONS as readonly string[]).includes(a)) {
    throw new Error(`unknown section "${a}"; choose from ${SECTIONS.join(', ')}`);
  }
}
const sections: readonly Section[] = asked.length ? (asked as Section[]) : SECTIONS;

// From a clean checkout the packages have no dist yet: build them once.
const packages = ['core', 'hono', 'express', 'node'];
if (packages.some((p) => !existsSync(`${root}packages/${p}/dist/index.js`))) {
  log('building the packages (pnpm -r --filter ./packages/* build)');
  execFileSync('pnpm', ['-r', '--filter', './packages/*', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const started = performance.now();
const results: Results = {
  meta: {
    date: new Date().toISOString(),
    mode: SMOKE ? 'smoke' : 'full',
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    commit: commit(),
    loadBefore: loadavg(),
    loadAfter: [],
    seconds: 0,
    settings,
  },
};

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  log(`${name}…`);
  const out = await run();
  log(`${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return out;
}

if (sections.includes('verify')) {
  const { runVerify } = await import('./verify.js');
  results.verify = await timed('verify', runVerify);
}
if (sections.includes('http')) {
  const { runHttp } = await import('./http.js');
  const http = await timed('http', runHttp);
  results.http = http.frameworks;
  results.meta.httpPinning = http.pinning;
}
if (sections.includes('hashing')) {
  const { runHashing } = await import('./hashing.js');
  results.hashing = await timed('hashing', runHashing);
}
if (sections.includes('memory')) {
  const { runMemory } = await import('./memory.js');
  results.memory = await timed('memory', runMemory);
}

results.meta.loadAfter = loadavg();
results.meta.seconds = (performance.now() - started) / 1000;
const { consoleSummary, writeReport } = await import('./report.js');
const partial = SMOKE || sections.length < SECTIONS.length;
const dir = partial ? join(tmpdir(), SMOKE ? 'auth-bench-smoke' : 'auth-bench-partial') : bench;
mkdirSync(dir, { recursive: true });
writeReport(results, dir);
process.stdout.write(`${consoleSummary(results)}\n`);
log(`wrote ${join(dir, 'RESULTS.md')} and results.svg in ${results.meta.seconds.toFixed(0)} s`);
// Idle hashing workers are unref'd, but say so plainly: the run is over.
process.exit(0);
