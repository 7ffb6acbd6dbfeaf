/**
 * The report: the targets of issue #7 as ratios from this run (each the median of the
 * per-round ratios, with their min–max), a table per comparison, and the chart of the same
 * figures. Writes RESULTS.md and results.svg to the output directory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Bar, type Panel, renderChart } from './chart.js';
import { CONNECTIONS, type Figure, figure } from './common.js';
import {
  CONCURRENT_LOGINS,
  FIXED_CONNECTIONS,
  FIXED_RATE,
  type HashingResults,
} from './hashing.js';
import type { HttpFramework, HttpRow } from './http.js';
import { loginKeyCap, type MemoryResult } from './memory.js';
import type { VerifyGroup } from './verify.js';

export interface Meta {
  date: string;
  mode: 'full' | 'smoke';
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  commit: string;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  settings: Record<string, number>;
  /** How the HTTP section's processes were pinned to cores; `null` when they weren't. */
  httpPinning?: string | null;
}

export interface Results {
  meta: Meta;
  verify?: VerifyGroup[];
  http?: HttpFramework[];
  hashing?: HashingResults;
  memory?: MemoryResult[];
}

export interface Target {
  label: string;
  /** The measured value: a ratio (×), milliseconds or MiB. */
  value: Figure;
  unit: '×' | 'ms' | 'MiB';
  /** What is needed, as text, and the bound it is checked against. */
  need: string;
  bound: number;
  /** true: value must be ≥ bound; false: ≤ bound. */
  atLeast: boolean;
  met: boolean;
}

const MiB = 1024 * 1024;

/** Per-round ratios a/b of two figures measured in the same rounds. */
function ratio(a: Figure, b: Figure): Figure {
  return figure(a.samples.map((x, i) => x / b.samples[i]!));
}

function target(
  label: string,
  value: Figure,
  unit: Target['unit'],
  bound: number,
  atLeast: boolean,
): Target {
  const sign = atLeast ? '≥' : unit === 'ms' ? '<' : '≤';
  const met = atLeast ? value.median >= bound : value.median <= bound;
  return {
    label,
    value,
    unit,
    need: `${sign} ${bound}${unit === '×' ? '×' : ` ${unit}`}`,
    bound,
    atLeast,
    met,
  };
}

const row = <T extends { id: string }>(rows: T[], id: string): T => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row "${id}"`);
  return found;
};

/** The fastest peer of a framework: not /ping, not the floor, not another form of ours. */
function bestPeer(f: HttpFramework): HttpRow {
  const peers = f.rows.filter(
    (x) => !x.id.startsWith('ours') && x.id !== 'ping' && x.id !== 'floor',
  );
  return peers.reduce((a, b) => (b.rps.median > a.rps.median ? b : a));
}

/**
 * Where a framework has a floor route (it hands the handler the principal and verifies
 * nothing), how the floor compares with `/ping` and with the best peer: the most that any
 * route that hands over the principal the same way could reach in this run.
 */
function floorLines(frameworks: HttpFramework[]): string[] {
  return frameworks.flatMap((f) => {
    const floor = f.rows.find((x) => x.id === 'floor');
    if (!floor) return [];
    const best = bestPeer(f);
    const vsPing = ratio(floor.rps, row(f.rows, 'ping').rps);
    const vsPeer = ratio(floor.rps, best.rps);
    const ours = ratio(row(f.rows, 'ours').rps, floor.rps);
    const x = (v: Figure) => `${num(v.median)}× (rounds ${spread(v)})`;
    return [
      `${f.title}: ${floor.name} ÷ /ping = ${x(vsPing)} and ÷ ${best.name} = ${x(vsPeer)}: the ceilings of those two targets for any route that hands over the principal the same way. Ours ÷ the floor = ${x(ours)}.`,
    ];
  });
}

/** The targets of the issue that this run has figures for. */
export function targets(r: Results): Target[] {
  const out: Target[] = [];
  for (const f of r.http ?? []) {
    const ours = row(f.rows, 'ours').rps;
    out.push(
      target(
        `${f.title}: protected ÷ unprotected /ping (req/s)`,
        ratio(ours, row(f.rows, 'ping').rps),
        '×',
        0.95,
        true,
      ),
    );
  }
  for (const f of r.http ?? []) {
    const ours = row(f.rows, 'ours').rps;
    const best = bestPeer(f);
    out.push(
      target(
        `${f.title}: protected ÷ best peer (${best.name})`,
        ratio(ours, best.rps),
        '×',
        1.2,
        true,
      ),
    );
  }
  const verify = new Map((r.verify ?? []).map((g) => [g.id, g.rows]));
  const hot = verify.get('hs256-hot');
  if (hot) {
    out.push(
      target(
        'verify HS256 hot: ours ÷ fast-jwt with cache',
        ratio(row(hot, 'ours').opsPerSec, row(hot, 'fast-jwt-cache').opsPerSec),
        '×',
        1,
        true,
      ),
    );
  }
  for (const [id, name] of [
    ['hs256-cold', 'HS256'],
    ['eddsa-cold', 'EdDSA'],
    ['es256-cold', 'ES256'],
  ]) {
    const g = verify.get(id!);
    if (g)
      out.push(
        target(
          `verify ${name} cold: ours ÷ jose.jwtVerify`,
          ratio(row(g, 'ours').opsPerSec, row(g, 'jose').opsPerSec),
          '×',
          1,
          true,
        ),
      );
  }
  const cold = verify.get('hs256-cold');
  if (cold) {
    out.push(
      target(
        'verify HS256 cold: ours ÷ floor (HMAC + JSON.parse)',
        ratio(row(cold, 'ours').opsPerSec, row(cold, 'floor').opsPerSec),
        '×',
        0.5,
        true,
      ),
    );
  }
  if (r.hashing) {
    out.push(
      target(
        `p99 of protected route at ${FIXED_RATE} req/s, ${CONCURRENT_LOGINS} logins hashing`,
        r.hashing.hashingP99,
        'ms',
        25,
        false,
      ),
    );
  }
  const tokens = r.memory?.find((m) => m.id === 'tokens');
  if (tokens) {
    const grew = memoryFigures(tokens).rssAfter;
    out.push(
      target(
        `RSS growth after ${tokens.count.toLocaleString('en')} distinct tokens`,
        grew,
        'MiB',
        64,
        false,
      ),
    );
  }
  return out;
}

// ---- formatting ----

export function num(v: number): string {
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
const spread = (f: Figure) => (f.samples.length > 1 ? `${num(f.min)}–${num(f.max)}` : '—');
const withSpread = (f: Figure, unit = '') =>
  `${num(f.median)}${unit}${f.samples.length > 1 ? ` (${num(f.min)}–${num(f.max)})` : ''}`;

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Plain-text table for the terminal. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function targetCells(t: Target, smoke: boolean): string[] {
  const value = `${num(t.value.median)}${t.unit === '×' ? '×' : ` ${t.unit}`}`;
  return [t.label, value, spread(t.value), t.need, smoke ? 'n/a' : t.met ? 'yes' : 'NO'];
}
const metLine = (ts: Target[]) => `${ts.filter((t) => t.met).length} of ${ts.length} targets met.`;
const TARGET_HEAD = ['target', 'measured', 'rounds min–max', 'needed', 'met'];

/** What the terminal gets. */
export function consoleSummary(r: Results): string {
  const ts = targets(r);
  const out = [
    `\nTargets (${r.meta.mode} mode${r.meta.mode === 'smoke' ? ': figures meaningless, nothing asserted' : ''})`,
  ];
  out.push(
    textTable(
      TARGET_HEAD,
      ts.map((t) => targetCells(t, r.meta.mode === 'smoke')),
    ),
  );
  if (r.meta.mode === 'full') out.push(`\n${metLine(ts)}`);
  out.push(...floorLines(r.http ?? []));
  return out.join('\n');
}

function verifySection(groups: VerifyGroup[]): string {
  const out = ['## 1. Verify, in process (operations/s, higher is better)', ''];
  out.push(
    'Each contender checks signature, algorithm allow-list, `iss`, `aud` and `exp` of the same',
    'token (and `typ: at+jwt` where it can). *hot*: one token repeated; *cold*: the next of',
    '16 000 distinct tokens each call, more than any cache holds. Calls are made one after',
    'another, awaiting each result. Peers get their key imported once (a WebCrypto `CryptoKey`',
    'for jose, a `KeyObject` for jsonwebtoken, a prepared verifier for fast-jwt). Each round',
    'runs the contenders there and back (A B C C B A, two half-length runs each, averaged) so',
    'a drifting load cancels out of the ratios.',
    '',
  );
  for (const g of groups) {
    const ours = row(g.rows, 'ours').opsPerSec.median;
    out.push(`### ${g.title}`, '');
    out.push(
      table(
        ['contender', 'ops/s (median)', 'min–max', 'µs/op', '÷ ours'],
        g.rows.map((x) => [
          x.id === 'ours' ? `**${x.name}**` : x.name,
          num(x.opsPerSec.median),
          spread(x.opsPerSec),
          num(1e6 / x.opsPerSec.median),
          `${num(x.opsPerSec.median / ours)}×`,
        ]),
      ),
    );
    if (g.skipped.length) out.push('', `Not measured: ${g.skipped.join('; ')}.`);
    out.push('');
  }
  return out.join('\n');
}

function httpSection(frameworks: HttpFramework[], seconds: number, pinning: string | null): string {
  const out = [
    '## 2. HTTP, per framework',
    '',
    `autocannon in the bench process, ${CONNECTIONS} connections, ${seconds} s per target and round, against`,
    'the server in its own child process over loopback; every request carries the same valid',
    "HS256 bearer token (also on `/ping`), and every 200 has the same small JSON body (`/ping`'s too,",
    "found by the router the same way or, on Express, one route earlier), so a route's ratio to",
    '`/ping` is what its authentication costs. Rounds are interleaved, in a rotating order, each run',
    `there and back (A B C C B A, two runs of ${seconds / 2} s per target, averaged) so a drifting load cancels out. The`,
    "server's CPU time per request (all its threads) is given too: on a shared machine it is",
    'steadier than requests per second, which also depend on how much CPU the load generator got.',
    '',
    pinning
      ? `Cores: ${pinning}, so the scheduler never runs the two on one core.`
      : 'Cores: not pinned (pinning needs Linux, `taskset` and two cores): the scheduler shares them out.',
    '`pnpm bench:instructions` counts the same routes in CPU instructions per request, which no',
    "load moves (valgrind's callgrind): bench/INSTRUCTIONS.md.",
    '',
  ];
  if (frameworks.some((f) => f.rows.some((x) => x.id === 'floor'))) {
    out.push(
      "Express's *floor* route hands its handler `req.auth` as our route and the peers do, and",
      'verifies nothing. Express 5 gives each request its prototype with `Object.setPrototypeOf`,',
      'after which V8 builds a new hidden class for every property added to that request, so setting',
      '`req.auth` alone costs a few µs of server CPU. The floor is the least that handing over',
      "`req.auth` costs, whoever's route it is.",
      '',
    );
  }
  for (const f of frameworks) {
    const ping = row(f.rows, 'ping').rps.median;
    out.push(`### ${f.title}`, '');
    out.push(
      table(
        [
          'route',
          'req/s (median)',
          'min–max',
          '÷ /ping',
          'p99 ms (median)',
          'min–max',
          'server CPU µs/req',
        ],
        f.rows.map((x) => [
          x.id === 'ours' ? `**${x.name}**` : x.name,
          num(x.rps.median),
          spread(x.rps),
          `${num(x.rps.median / ping)}×`,
          num(x.p99.median),
          spread(x.p99),
          withSpread(x.cpu),
        ]),
      ),
      '',
    );
  }
  return out.join('\n');
}

function hashingSection(h: HashingResults): string {
  const fastest = Math.max(...h.logins.map((l) => l.perSec.median));
  return [
    '## 3. Hashing never blocks the loop',
    '',
    'The node:http app with the auth routes and the default hasher, in a child process; its',
    `protected route loaded at a fixed ${FIXED_RATE} req/s (${FIXED_CONNECTIONS} connections), alone and while`,
    `${CONCURRENT_LOGINS} logins (of as many users) are kept hashing at all times (argon2id m=19456 t=2 p=1), then at`,
    `saturation (${CONNECTIONS} connections) with the same logins. The event-loop delay is the server's own`,
    '(`monitorEventLoopDelay`, 5 ms resolution, which its figures include).',
    '',
    table(
      ['measure', 'median (min–max)'],
      [
        [`p99, ${FIXED_RATE} req/s, no login`, withSpread(h.idleP99, ' ms')],
        [
          `**p99, ${FIXED_RATE} req/s, ${CONCURRENT_LOGINS} logins hashing**`,
          withSpread(h.hashingP99, ' ms'),
        ],
        ['server event-loop delay p99 during it', withSpread(h.loopDelayP99, ' ms')],
        ['server event-loop delay max during it', withSpread(h.loopDelayMax, ' ms')],
        ['logins completed per second during it', withSpread(h.loginsDuringLoad)],
        [
          `p99 at saturation, ${CONCURRENT_LOGINS} logins hashing`,
          withSpread(h.saturatedP99, ' ms'),
        ],
        ['req/s at saturation, logins hashing', withSpread(h.saturatedRps)],
      ],
    ),
    '',
    'Logins per second at default cost, 4 at a time, in one process:',
    '',
    table(
      ['contender', 'per second (median)', 'min–max', '÷ fastest'],
      h.logins.map((l) => [
        l.id === 'ours' ? `**${l.name}**` : l.name,
        num(l.perSec.median),
        spread(l.perSec),
        `${num(l.perSec.median / fastest)}×`,
      ]),
    ),
    '',
  ].join('\n');
}

/** A memory scenario's figures over its runs, in MiB. */
function memoryFigures(m: MemoryResult) {
  const of = (f: (run: MemoryResult['runs'][number]) => number) =>
    figure(m.runs.map((run) => f(run) / MiB));
  return {
    rssBefore: of((x) => x.before.rss),
    rssHalf: of((x) => x.half.rss - x.before.rss),
    rssAfter: of((x) => x.after.rss - x.before.rss),
    heapHalf: of((x) => x.half.heapUsed - x.before.heapUsed),
    heapAfter: of((x) => x.after.heapUsed - x.before.heapUsed),
    peak: of((x) => x.peakRss),
  };
}

function memorySection(results: MemoryResult[]): string {
  const runs = results[0]?.runs.length ?? 0;
  const logins = results.find((m) => m.id === 'logins');
  const loginCap = logins ? loginKeyCap(logins.count).toLocaleString('en') : 'n / 4';
  return [
    '## 4. Memory stays bounded',
    '',
    `Each scenario in ${runs} fresh process${runs > 1 ? 'es' : ''} with \`--expose-gc\` (median and min–max over them;`,
    'two processes at a time: the figures are memory, not time);',
    'every sample after a full GC, read once the RSS has settled (V8 returns freed pages from',
    'background threads just after the GC), the first after a warm-up of 1 000 steps. The',
    'half-way sample shows whether state keeps growing (uncapped) or stays flat (capped). RSS',
    "also holds V8's young generation growing to its working size and what the allocator keeps",
    'after the churn, which is why it moves more than the V8 heap and from run to run. The',
    'tokens are signed on the V8 heap (no native allocation per token by the harness). Failed',
    'logins use a stub hasher that answers "wrong password" at once: the state under test is',
    `the rate-limit store, capped here at ${loginCap} keys (n / 4; the default cap is 100 000) so`,
    'that the run passes the cap a quarter of the way: flat from half-way to n means it holds.',
    '',
    table(
      [
        'scenario',
        'n',
        'RSS before',
        'RSS Δ half-way',
        'RSS Δ at n',
        'heap Δ half-way',
        'heap Δ at n',
        'peak RSS',
      ],
      results.map((m) => {
        const f = memoryFigures(m);
        return [
          m.title,
          m.count.toLocaleString('en'),
          `${num(f.rssBefore.median)} MiB`,
          withSpread(f.rssHalf, ' MiB'),
          withSpread(f.rssAfter, ' MiB'),
          withSpread(f.heapHalf, ' MiB'),
          withSpread(f.heapAfter, ' MiB'),
          `${num(f.peak.median)} MiB`,
        ];
      }),
    ),
    '',
    ...results.map((m) => `- ${m.title}: ${m.runs[0]!.note}.`),
    '',
  ].join('\n');
}

/** RESULTS.md. */
export function markdown(r: Results): string {
  const m = r.meta;
  const ts = targets(r);
  const out = [
    '# Benchmark results',
    '',
    `Written by \`pnpm bench\`${m.mode === 'smoke' ? ' (SMOKE MODE: tiny durations, figures meaningless)' : ''}.`,
    '',
    `- Date: ${m.date}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}`,
    `- Node ${m.node}; commit ${m.commit}`,
    `- Load average (1 min) at start ${m.loadBefore[0]!.toFixed(2)}, at end ${m.loadAfter[0]!.toFixed(2)}: the machine is shared, so figures can be noisy; ratios come from rounds run side by side.`,
    `- ${m.settings.rounds} rounds per figure (${m.settings.httpRounds} for HTTP, 3 for logins per second); figures are medians with the min–max of the rounds, and a ratio is the median of the rounds' ratios. Run took ${Math.round(m.seconds)} s.`,
    '',
    '![chart of these figures](results.svg)',
    '',
    '## Targets (issue #7)',
    '',
    'Each ratio is the median over the rounds of the per-round ratio (both sides measured in the same round).',
    '',
    table(
      TARGET_HEAD,
      ts.map((t) => targetCells(t, r.meta.mode === 'smoke')),
    ),
    '',
    r.meta.mode === 'full' ? metLine(ts) : 'Smoke mode: no target is checked.',
    '',
    ...floorLines(r.http ?? []).flatMap((line) => [line, '']),
  ];
  if (r.verify) out.push(verifySection(r.verify));
  if (r.http) out.push(httpSection(r.http, m.settings.httpSeconds!, m.httpPinning ?? null));
  if (r.hashing) out.push(hashingSection(r.hashing));
  if (r.memory) out.push(memorySection(r.memory));
  return out.join('\n');
}

/** results.svg: the targets, then the figures behind them. */
export function chart(r: Results): string {
  const panels: Panel[] = [];
  // In smoke mode nothing is judged: every bar stays grey.
  const judged = (met: boolean) => (r.meta.mode === 'smoke' ? undefined : met);
  const ts = targets(r);
  const ratios = ts.filter((t) => t.unit === '×');
  if (ratios.length) {
    panels.push({
      title: 'Targets: ratios (dashed line = 1×; bar green when the target is met)',
      unit: '×, median and min–max of rounds',
      threshold: 1,
      bars: ratios.map((t) => ({
        label: `${t.label.replace(/ \(.*\)$/, '')} (${t.need})`,
        value: t.value.median,
        min: t.value.min,
        max: t.value.max,
        met: judged(t.met),
      })),
    });
  }
  for (const g of r.verify ?? []) {
    panels.push({
      title: `Verify ${g.title}`,
      unit: 'ops/s',
      bars: g.rows.map(
        (x): Bar => ({
          label: x.name,
          value: x.opsPerSec.median,
          min: x.opsPerSec.min,
          max: x.opsPerSec.max,
        }),
      ),
    });
  }
  for (const f of r.http ?? []) {
    panels.push({
      title: `HTTP ${f.title}`,
      unit: `req/s, ${CONNECTIONS} connections`,
      bars: f.rows.map(
        (x): Bar => ({ label: x.name, value: x.rps.median, min: x.rps.min, max: x.rps.max }),
      ),
    });
  }
  if (r.http) {
    panels.push({
      title: 'HTTP server CPU time per request',
      unit: 'µs, lower is better',
      bars: r.http.flatMap((f) =>
        f.rows.map(
          (x): Bar => ({
            label: `${f.title}: ${x.name}`,
            value: x.cpu.median,
            min: x.cpu.min,
            max: x.cpu.max,
          }),
        ),
      ),
    });
  }
  if (r.hashing) {
    const h = r.hashing;
    panels.push({
      title: `p99 of the protected route at ${FIXED_RATE} req/s`,
      unit: 'ms; dashed line = 25 ms target',
      threshold: 25,
      bars: [
        { label: 'no login', value: h.idleP99.median, min: h.idleP99.min, max: h.idleP99.max },
        {
          label: `${CONCURRENT_LOGINS} logins hashing`,
          value: h.hashingP99.median,
          min: h.hashingP99.min,
          max: h.hashingP99.max,
          met: judged(h.hashingP99.median < 25),
        },
      ],
    });
    panels.push({
      title: 'Logins per second at default cost',
      unit: 'per second, 4 at a time',
      bars: h.logins.map((l) => ({
        label: l.name,
        value: l.perSec.median,
        min: l.perSec.min,
        max: l.perSec.max,
      })),
    });
  }
  if (r.memory) {
    panels.push({
      title: 'Memory growth after n steps (after GC)',
      unit: 'MiB; dashed line = 64 MiB target',
      threshold: 64,
      bars: r.memory.flatMap((m) => {
        const f = memoryFigures(m);
        return [
          {
            label: `${m.id}: RSS Δ`,
            value: Math.max(0, f.rssAfter.median),
            min: f.rssAfter.min,
            max: f.rssAfter.max,
            met: m.id === 'tokens' ? judged(f.rssAfter.median <= 64) : undefined,
          },
          {
            label: `${m.id}: heap Δ`,
            value: Math.max(0, f.heapAfter.median),
            min: f.heapAfter.min,
            max: f.heapAfter.max,
          },
        ];
      }),
    });
  }
  return renderChart(
    `@auth benchmarks — ${r.meta.date.slice(0, 10)}, ${r.meta.cpu} ×${r.meta.cores}, Node ${r.meta.node}${r.meta.mode === 'smoke' ? ' (smoke)' : ''}`,
    panels,
  );
}

/** Writes RESULTS.md and results.svg to `dir`. */
export function writeReport(r: Results, dir: string): void {
  writeFileSync(join(dir, 'RESULTS.md'), markdown(r));
  writeFileSync(join(dir, 'results.svg'), chart(r));
}
