/**
 * `pnpm bench:instructions`: the HTTP comparisons of `pnpm bench` counted in CPU
 * instructions instead of seconds. Each server runs under valgrind's callgrind, which counts
 * the instructions the server executes for a fixed number of requests: the same count for
 * the same requests whatever else the machine is doing, so these ratios don't move with a
 * shared machine's load as requests per second do (a 2-core VM here measured the same route
 * ±30 % from one second to the next). It doesn't see what costs time without instructions
 * (cache misses, waiting), which is why `pnpm bench` still measures seconds.
 *
 * Writes bench/INSTRUCTIONS.md; `BENCH_SMOKE=1` (`pnpm bench:instructions:smoke`) counts a few
 * requests on node:http only, into the system's temporary directory. Needs valgrind
 * (Debian: `apt-get install valgrind`).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { commit, type Figure, figure, forkChild, log, makeToken, SMOKE } from './common.js';
import { FRAMEWORKS } from './http.js';
import { num, table, textTable } from './report.js';

/**
 * Requests per counted run and per warm-up of each path, by framework. Enough that a
 * garbage collection or a compilation, which land in whichever run triggers them, is a
 * small part of a run's count (the first full run, with half of these, spread ±20 %).
 */
const COUNTS: Record<string, { requests: number; warmup: number }> = SMOKE
  ? { node: { requests: 50, warmup: 50 } }
  : {
      hono: { requests: 2000, warmup: 6000 },
      express: { requests: 800, warmup: 3000 },
      node: { requests: 2000, warmup: 6000 },
    };
const ROUNDS = SMOKE ? 1 : 5;

function valgrindVersion(): string {
  try {
    return execFileSync('valgrind', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    throw new Error('pnpm bench:instructions needs valgrind (Debian: apt-get install valgrind)');
  }
}
const valgrind = valgrindVersion();
const dumps = mkdtempSync(join(tmpdir(), 'auth-bench-callgrind-'));

interface Counted {
  child: ChildProcess;
  url: string;
}

/**
 * Starts a server target of server.ts under callgrind. V8 compiles optimised code on a
 * background thread, which valgrind runs one thread at a time: `--no-concurrent-recompilation`
 * compiles it on the main thread, so the counted requests run the same optimised code as
 * outside valgrind.
 */
async function startCounted(name: string): Promise<Counted> {
  const { child, ready } = forkChild<{ port: number }>(
    './server.ts',
    [name],
    ['--no-concurrent-recompilation'],
    {
      command: 'valgrind',
      args: ['--tool=callgrind', '-q', `--callgrind-out-file=${dumps}/cg.%p`],
    },
  );
  const { port } = await ready;
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Instructions the server executed since the last zeroing, read from a fresh dump. */
function dumpedInstructions(pid: number): number {
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  const mine = readdirSync(dumps)
    .filter((f) => f.startsWith(`cg.${pid}.`))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  const text = readFileSync(join(dumps, mine[mine.length - 1]!), 'utf8');
  const total = /^(?:summary|totals): (\d+)/m.exec(text)?.[1];
  if (!total) throw new Error(`no instruction total in callgrind dump ${mine.at(-1)}`);
  return Number(total);
}

/** Instructions per request of `amount` requests to `url`; throws unless all were 2xx. */
async function perRequest(server: Counted, path: string, amount: number, authorization: string) {
  const pid = server.child.pid!;
  execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' });
  const result = await autocannon({
    url: server.url + path,
    connections: 10,
    amount,
    // A run ends on autocannon's next sample: every 100 ms, not every second, in smoke mode.
    ...(SMOKE ? { sampleInt: 100 } : {}),
    headers: { authorization },
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return dumpedInstructions(pid) / result.requests.total;
}

interface Row {
  name: string;
  instructions: Figure;
}

/** One framework: /ping and our route on our server, each peer's route on its own. */
async function countFramework(f: (typeof FRAMEWORKS)[number]): Promise<Row[]> {
  const counts = COUNTS[f.id]!;
  const authorization = `Bearer ${makeToken('HS256', 3600)}`;
  const servers: Array<{ server: string; paths: Array<[name: string, path: string]> }> = [
    {
      server: `${f.id}:ours`,
      paths: [
        ['/ping (no auth)', '/ping'],
        [f.ours, '/protected'],
      ],
    },
    // Smoke mode checks that counting works: our server alone.
    ...(SMOKE ? [] : f.peers).map(([id, name]) => ({
      server: `${f.id}:${id}`,
      paths: [[name, '/protected']] as Array<[string, string]>,
    })),
  ];
  const rows = new Map<string, number[]>();
  // The servers run side by side: a count doesn't depend on what else runs.
  await Promise.all(
    servers.map(async ({ server, paths }) => {
      const counted = await startCounted(server);
      try {
        for (const [, path] of paths) {
          await perRequest(counted, path, counts.warmup, authorization);
        }
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 ? [...paths].reverse() : paths;
          for (const [name, path] of order) {
            const n = await perRequest(counted, path, counts.requests, authorization);
            rows.set(name, [...(rows.get(name) ?? []), n]);
          }
        }
      } finally {
        counted.child.kill('SIGKILL');
      }
    }),
  );
  log(`instructions: ${f.title} done`);
  return servers.flatMap(({ paths }) =>
    paths.map(([name]) => ({ name, instructions: figure(rows.get(name)!) })),
  );
}

const started = performance.now();
const frameworks = FRAMEWORKS.filter((f) => COUNTS[f.id]);
const results: Array<{ title: string; rows: Row[] }> = [];
for (const f of frameworks) results.push({ title: f.title, rows: await countFramework(f) });
rmSync(dumps, { recursive: true, force: true });

/** The targets of issue #7 that compare routes, in instructions per request. */
const targets = results.map(({ title, rows }) => {
  const [ping, ours, ...peers] = rows as [Row, Row, ...Row[]];
  const out: Array<[label: string, value: number, need: number]> = [
    [`${title}: protected ÷ /ping`, ping.instructions.median / ours.instructions.median, 0.95],
  ];
  const best = peers.sort((x, y) => x.instructions.median - y.instructions.median)[0];
  if (best) {
    const value = best.instructions.median / ours.instructions.median;
    out.push([`${title}: protected ÷ ${best.name}`, value, 1.2]);
  }
  return out;
});
const met = (value: number, need: number) => (SMOKE ? 'n/a' : value >= need ? 'yes' : 'NO');
const targetRows = targets
  .flat()
  .map(([label, value, need]) => [label, `${num(value)}×`, `≥ ${need}×`, met(value, need)]);
const head = ['target (from instructions per request)', 'measured', 'needed', 'met'];

const seconds = Math.round((performance.now() - started) / 1000);
const md = [
  '# Instructions per request',
  '',
  `Written by \`pnpm bench:instructions\`${SMOKE ? ' (SMOKE MODE: a few requests, node:http only, figures meaningless)' : ''}.`,
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores; Node ${process.version}; ${valgrind}`,
  `- Commit ${commit()}; run took ${seconds} s.`,
  '',
  "The HTTP section's servers (bench/src/server.ts, the same apps and the same token) each under",
  'callgrind, which counts the instructions a server executes, in every thread, for a fixed',
  'number of requests (10 connections): after a warm-up of every path, rounds of each path in',
  'turn; the figure is the median over the rounds, with their min–max. A count is the same',
  "whatever else the machine does, so the ratios below don't move with its load; the ratio to",
  '`/ping` is what a server could do per second on the same CPU if time followed instructions.',
  'It does not see what costs time without instructions (cache misses, waiting): `pnpm bench`',
  'measures that, in seconds. Express runs fewer requests: each costs about ten times more.',
  '',
  table(head, targetRows),
  '',
];
for (const { title, rows } of results) {
  const ping = rows[0]!.instructions.median;
  md.push(`## ${title}`, '');
  md.push(
    table(
      ['route', 'instructions per request (median)', 'min–max', '÷ /ping'],
      rows.map((r) => [
        r.name,
        num(r.instructions.median),
        `${num(r.instructions.min)}–${num(r.instructions.max)}`,
        `${(ping / r.instructions.median).toFixed(3)}×`,
      ]),
    ),
    '',
  );
}
const dir = SMOKE
  ? join(tmpdir(), 'auth-bench-smoke')
  : fileURLToPath(new URL('..', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'INSTRUCTIONS.md'), md.join('\n'));
process.stdout.write(`\n${textTable(head, targetRows)}\n`);
log(`wrote ${join(dir, 'INSTRUCTIONS.md')} in ${seconds} s`);
process.exit(0);
