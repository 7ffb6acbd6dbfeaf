/**
 * 3. Hashing never blocks the loop, and how many logins a second it allows.
 *
 * Loop: a node:http server (child process) with the auth routes and the default hasher
 * (argon2id m=19456 t=2 p=1 in its worker pool). Its protected route is loaded at a fixed
 * rate, first alone, then while 20 logins are kept hashing at all times; p99 latency of both,
 * and the server's own event-loop delay. Also at saturation, for reference.
 *
 * Logins/s, in this process, 4 at a time: `auth.login()` with the default hasher, against the
 * `argon2` native package verifying the same argon2id parameters, and a better-auth-style
 * pure-JS scrypt (@noble/hashes scryptAsync, N=16384 r=16 p=1, 64 bytes, on the main thread).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createAuth, defaultPoolSize, memoryStorage } from '@auth/core';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import argon2 from 'argon2';
import {
  AUDIENCE,
  ask,
  type Figure,
  figure,
  ISSUER,
  log,
  SECRET,
  SMOKE,
  settings,
  stop,
} from './common.js';
import { load, startServer } from './http.js';

/** Requests per second of the fixed-rate runs: well under what the server can take. */
export const FIXED_RATE = 1000;
/** Connections of the fixed-rate runs: few, so autocannon's paced sends don't come in bursts of 50. */
export const FIXED_CONNECTIONS = 10;
/** Logins kept in flight at once while the protected route is measured (fewer in smoke mode, to drain fast). */
export const CONCURRENT_LOGINS = SMOKE ? 4 : 20;
const LOGIN_CONCURRENCY = 4;
const USER = { username: 'bench-user', password: 'correct horse battery staple' };
/**
 * The users who log in while the protected route is measured: one per login in flight, as a
 * burst of logins is many people's (logins for one username from one client take turns).
 */
const LOGIN_USERS = Array.from({ length: CONCURRENT_LOGINS }, (_, i) => ({
  username: `bench-user-${i}`,
  password: USER.password,
}));

interface LoopDelay {
  p99: number;
  max: number;
  mean: number;
}

export interface HashingResults {
  /** p99 (ms) at FIXED_RATE with no login. */
  idleP99: Figure;
  /** p99 (ms) at FIXED_RATE while CONCURRENT_LOGINS logins hash. */
  hashingP99: Figure;
  /** p99 (ms) at saturation while CONCURRENT_LOGINS logins hash. */
  saturatedP99: Figure;
  saturatedRps: Figure;
  /** The server's event-loop delay during the fixed-rate runs with logins (ms). */
  loopDelayP99: Figure;
  loopDelayMax: Figure;
  /** Logins completed per second during those runs. */
  loginsDuringLoad: Figure;
  /** Logins (or password checks) per second. */
  logins: Array<{ id: string; name: string; perSec: Figure }>;
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Keeps `n` logins in flight (one per user of LOGIN_USERS) until `until` resolves; resolves
 * with how many completed.
 */
async function keepLoggingIn(url: string, n: number, until: Promise<unknown>): Promise<number> {
  let done = 0;
  let stopped = false;
  until.then(() => {
    stopped = true;
  });
  const worker = async (user: (typeof LOGIN_USERS)[number]) => {
    while (!stopped) {
      const res = await post(`${url}/auth/login`, user);
      if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      done += 1;
    }
  };
  await Promise.all(LOGIN_USERS.slice(0, n).map(worker));
  return done;
}

async function loopScenario() {
  const { child, url } = await startServer('hashing');
  try {
    for (const user of [USER, ...LOGIN_USERS]) {
      const reg = await post(`${url}/auth/register`, user);
      if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
    }
    const login = await post(`${url}/auth/login`, USER);
    const { access_token } = (await login.json()) as { access_token: string };
    const authorization = `Bearer ${access_token}`;
    const protectedUrl = `${url}/protected`;
    const fixed = { overallRate: FIXED_RATE, connections: FIXED_CONNECTIONS };
    const seconds = settings.hashSeconds;
    const s = {
      idle: [] as number[],
      hashing: [] as number[],
      saturated: [] as number[],
      saturatedRps: [] as number[],
      eldP99: [] as number[],
      eldMax: [] as number[],
      logins: [] as number[],
    };
    if (!SMOKE) await load(protectedUrl, authorization, settings.httpWarmupSeconds);
    for (let round = 0; round < settings.rounds; round++) {
      s.idle.push((await load(protectedUrl, authorization, seconds, fixed)).p99);

      await ask(child, 'eld');
      const t0 = performance.now();
      const run = load(protectedUrl, authorization, seconds, fixed);
      const logins = await keepLoggingIn(url, CONCURRENT_LOGINS, run);
      const elapsed = (performance.now() - t0) / 1000;
      s.hashing.push((await run).p99);
      const eld = await ask<LoopDelay>(child, 'eld');
      s.eldP99.push(eld.p99);
      s.eldMax.push(eld.max);
      s.logins.push(logins / elapsed);

      if (SMOKE) continue; // the saturated run only adds seconds of hashing to drain
      const sat = load(protectedUrl, authorization, seconds);
      await keepLoggingIn(url, CONCURRENT_LOGINS, sat);
      s.saturated.push((await sat).p99);
      s.saturatedRps.push((await sat).rps);
    }
    return {
      idleP99: figure(s.idle),
      hashingP99: figure(s.hashing),
      saturatedP99: figure(SMOKE ? [0] : s.saturated),
      saturatedRps: figure(SMOKE ? [0] : s.saturatedRps),
      loopDelayP99: figure(s.eldP99),
      loopDelayMax: figure(s.eldMax),
      loginsDuringLoad: figure(s.logins),
    };
  } finally {
    await stop(child);
  }
}

/** Calls `op` LOGIN_CONCURRENCY at a time for `ms`; resolves with completions per second. */
async function perSecond(op: () => Promise<unknown>, ms: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < ms) {
      await op();
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: LOGIN_CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
}

async function loginContenders() {
  const auth = createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg: 'HS256', secret: SECRET },
    storage: memoryStorage(),
    rateLimit: false,
  });
  await auth.register(USER);

  const nativeHash = await argon2.hash(USER.password, {
    type: argon2.argon2id,
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  });

  // better-auth's password hashing: scrypt from @noble/hashes with these parameters.
  const scryptParams = { N: 16384, r: 16, p: 1, dkLen: 64, maxmem: 128 * 16384 * 16 * 2 };
  const salt = randomBytes(16).toString('hex');
  const scryptKey = await scryptAsync(USER.password.normalize('NFKC'), salt, scryptParams);

  return [
    {
      id: 'ours',
      name: `@auth/core auth.login() (argon2id, pure JS in ${defaultPoolSize()} worker(s))`,
      op: () => auth.login(USER),
    },
    {
      id: 'argon2',
      name: 'argon2 native verify (same argon2id costs, libuv pool)',
      op: async () => {
        if (!(await argon2.verify(nativeHash, USER.password))) throw new Error('argon2');
      },
    },
    {
      id: 'scrypt',
      name: 'better-auth-style scrypt (@noble/hashes, main thread)',
      op: async () => {
        const key = await scryptAsync(USER.password.normalize('NFKC'), salt, scryptParams);
        if (!timingSafeEqual(key, scryptKey)) throw new Error('scrypt');
      },
    },
  ];
}

async function loginsPerSecond(): Promise<HashingResults['logins']> {
  const contenders = await loginContenders();
  const samples = new Map(contenders.map((c) => [c, [] as number[]]));
  for (const c of contenders) await c.op();
  const ms = settings.loginSeconds * 1000;
  for (let round = 0; round < Math.min(3, settings.rounds); round++) {
    for (const c of contenders) samples.get(c)!.push(await perSecond(c.op, ms));
  }
  return contenders.map((c) => ({ id: c.id, name: c.name, perSec: figure(samples.get(c)!) }));
}

/** Runs both hashing comparisons. */
export async function runHashing(): Promise<HashingResults> {
  const loop = await loopScenario();
  log('hashing: loop scenario done');
  const logins = await loginsPerSecond();
  log('hashing: logins/s done');
  return { ...loop, logins };
}
