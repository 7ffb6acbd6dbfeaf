/**
 * 2. HTTP, per framework: the unprotected `/ping`, our protected route and the peer
 * middleware on the same framework, each server in its own child process, loaded by
 * autocannon from this process over loopback with the same connections and duration.
 * Every client sends the same valid bearer token (a client reuses its token until it expires).
 */
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import {
  ask,
  CONNECTIONS,
  type Figure,
  figure,
  forkChild,
  log,
  makeToken,
  SMOKE,
  settings,
  stop,
} from './common.js';
import { type Pinning, pinCores } from './pinning.js';

export interface HttpRow {
  id: string;
  name: string;
  rps: Figure;
  p99: Figure;
  /** Server CPU time per request, µs (user + system, all its threads). */
  cpu: Figure;
}
export interface HttpFramework {
  id: string;
  title: string;
  rows: HttpRow[];
}
/** The HTTP section's figures, and where its processes ran. */
export interface HttpResults {
  frameworks: HttpFramework[];
  /** How the servers and the load generator were pinned to cores; `null` when they weren't. */
  pinning: string | null;
}

interface Target {
  id: string;
  name: string;
  server: string;
  path: string;
  /** Whether the route must refuse a bad or missing token. */
  guarded: boolean;
}

/**
 * Per framework: our protected route (`ours`, the form the adapter's README leads with for a
 * protected route), other forms of it on the same server (`variants`: id, name, path), the
 * peers and, where it tells something, a `floor` (name, path) on our server: a route that
 * verifies nothing but hands its handler the principal as our route does.
 */
export const FRAMEWORKS: Array<{
  id: string;
  title: string;
  ours: string;
  variants?: Array<[string, string, string]>;
  peers: Array<[string, string]>;
  floor?: [string, string];
}> = [
  {
    id: 'hono',
    title: 'Hono',
    ours: '@auth/hono withAuth (one handler)',
    variants: [['ours-middleware', '@auth/hono requireAuth (middleware)', '/protected-mw']],
    peers: [['hono-jwt', 'hono/jwt']],
  },
  {
    id: 'express',
    title: 'Express',
    ours: '@auth/express withAuth (one handler)',
    variants: [['ours-middleware', '@auth/express requireAuth (middleware)', '/protected-mw']],
    peers: [
      ['express-jwt', 'express-jwt'],
      ['passport-jwt', 'passport-jwt'],
    ],
    floor: ['floor: sets `req.auth`, verifies nothing', '/floor'],
  },
  {
    id: 'node',
    title: 'node:http',
    ours: '@auth/node withAuth',
    variants: [['ours-authenticate', '@auth/node await authenticate()', '/protected-mw']],
    peers: [['jose', 'hand-rolled jose']],
  },
];

/** Starts a server target in a child process. */
export async function startServer(name: string): Promise<{ child: ChildProcess; url: string }> {
  const { child, ready } = forkChild<{ port: number }>('./server.ts', [name]);
  const { port } = await ready;
  return { child, url: `http://127.0.0.1:${port}` };
}

/**
 * One autocannon run; throws unless every answer was a 2xx. With `server`, also the server's
 * CPU time per request: on a shared machine it varies less than requests per second.
 */
export async function load(
  url: string,
  authorization: string,
  seconds: number,
  extra: Partial<autocannon.Options> = {},
  server?: ChildProcess,
): Promise<{ rps: number; p99: number; cpu: number }> {
  const cpuBefore = server ? await ask<{ micros: number }>(server, 'cpu') : undefined;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    // Smoke mode sends a fixed number of requests, sampled every 100 ms: with its default
    // 1 s sampling, autocannon takes a whole second however few requests it sends.
    ...(SMOKE ? { amount: 300, sampleInt: 100 } : { duration: seconds }),
    headers: { authorization },
    ...extra,
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const cpuAfter = server ? await ask<{ micros: number }>(server, 'cpu') : undefined;
  const cpu =
    cpuBefore && cpuAfter ? (cpuAfter.micros - cpuBefore.micros) / result.requests.total : 0;
  return { rps: result.requests.average, p99: result.latency.p99, cpu };
}

/** Fails loudly unless the route lets the token in and keeps a bad or missing one out. */
async function sanityCheck(url: string, token: string, protectedRoute: boolean): Promise<void> {
  const status = async (authorization?: string) =>
    (await fetch(url, { headers: authorization ? { authorization } : {} })).status;
  const good = await status(`Bearer ${token}`);
  if (good !== 200) throw new Error(`${url}: ${good} for a valid token`);
  if (!protectedRoute) return;
  const bad = await status(`Bearer ${token.slice(0, -3)}abc`);
  const none = await status();
  if (bad !== 401 || none !== 401) throw new Error(`${url}: ${bad}/${none} for bad/no token`);
}

async function framework(
  f: (typeof FRAMEWORKS)[number],
  pinning: Pinning | undefined,
): Promise<HttpFramework> {
  const token = makeToken('HS256', 3600);
  const authorization = `Bearer ${token}`;
  const servers = new Map<string, { child: ChildProcess; url: string }>();
  const mine = `${f.id}:ours`;
  const targets: Target[] = [
    { id: 'ping', name: '/ping (no auth)', server: mine, path: '/ping', guarded: false },
    { id: 'ours', name: f.ours, server: mine, path: '/protected', guarded: true },
    ...(f.variants ?? []).map(([id, name, path]) => ({
      id,
      name,
      server: mine,
      path,
      guarded: true,
    })),
    ...f.peers.map(([id, name]) => ({
      id,
      name,
      server: `${f.id}:${id}`,
      path: '/protected',
      guarded: true,
    })),
    ...(f.floor
      ? [{ id: 'floor', name: f.floor[0], server: mine, path: f.floor[1], guarded: false }]
      : []),
  ];
  try {
    const names = [...new Set(targets.map((t) => t.server))];
    const started = await Promise.all(names.map(startServer));
    for (const [i, name] of names.entries()) servers.set(name, started[i]!);
    for (const { child } of started) if (child.pid !== undefined) pinning?.pin(child.pid);
    for (const t of targets) {
      await sanityCheck(servers.get(t.server)!.url + t.path, token, t.guarded);
    }
    const url = (t: Target) => servers.get(t.server)!.url + t.path;
    if (!SMOKE)
      for (const t of targets) await load(url(t), authorization, settings.httpWarmupSeconds);
    const samples = new Map(
      targets.map((t) => [t, { rps: [] as number[], p99: [] as number[], cpu: [] as number[] }]),
    );
    for (let round = 0; round < settings.httpRounds; round++) {
      // Rotate the order each round, so no target always runs first or last; then run
      // there and back (A B C C B A), each run half as long: a target's two halves are
      // centred on the same moment of the round, so a load that drifts through the round
      // (a shared machine's) cancels out of the ratios instead of favouring one side.
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      const halves = new Map<Target, Array<{ rps: number; p99: number; cpu: number }>>();
      for (const t of [...order, ...[...order].reverse()]) {
        const child = servers.get(t.server)!.child;
        const half = await load(url(t), authorization, settings.httpSeconds / 2, {}, child);
        halves.set(t, [...(halves.get(t) ?? []), half]);
      }
      for (const [t, runs] of halves) {
        const mean = (pick: (r: (typeof runs)[number]) => number) =>
          runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
        samples.get(t)!.rps.push(mean((r) => r.rps));
        samples.get(t)!.p99.push(mean((r) => r.p99));
        samples.get(t)!.cpu.push(mean((r) => r.cpu));
      }
    }
    log(`http: ${f.title} done`);
    return {
      id: f.id,
      title: f.title,
      rows: targets.map((t) => ({
        id: t.id,
        name: t.name,
        rps: figure(samples.get(t)!.rps),
        p99: figure(samples.get(t)!.p99),
        cpu: figure(samples.get(t)!.cpu),
      })),
    };
  } finally {
    await Promise.all([...servers.values()].map((s) => stop(s.child)));
  }
}

/**
 * Runs the HTTP comparisons, one framework after the other, with the servers and this
 * process pinned to cores of their own where the machine allows it (see `pinning.ts`).
 */
export async function runHttp(): Promise<HttpResults> {
  const pinning = pinCores();
  try {
    const frameworks: HttpFramework[] = [];
    for (const f of FRAMEWORKS) frameworks.push(await framework(f, pinning));
    return { frameworks, pinning: pinning?.description ?? null };
  } finally {
    pinning?.restore();
  }
}
