/**
 * `@auth/pg` behind the examples: two processes on one PostgreSQL act as one app, and the
 * embedded default (PGlite) keeps its data across restarts and serves one process at a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appLines,
  killGroup,
  type RunningExample,
  runUntilExit,
  startExample,
  tempDataDir,
} from './harness.js';
import { request } from './http.js';

const DATABASE_URL = process.env.DATABASE_URL;
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const PASSWORD = 'cluster-password-1';

/** The pid recorded in the data directory's lock file. */
function lockPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'auth-pg.lock'), 'utf8').split('\n')[0]);
}

/** Waits until `pid` is reaped (a SIGKILLed process lingers as a zombie for a moment). */
async function processGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pid ${pid} is still alive`);
}

async function login(base: string, username: string) {
  return request(base, '/auth/login', { json: { username, password: PASSWORD } });
}

describe.skipIf(!DATABASE_URL)('two example processes on one PostgreSQL (DATABASE_URL)', () => {
  let a: RunningExample;
  let b: RunningExample;

  beforeAll(async () => {
    const env = { DATABASE_URL, AUTH_REFRESH_REUSE_GRACE: '0' };
    [a, b] = await Promise.all([
      startExample('hono', env, 60_000),
      startExample('node-http', env, 60_000),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a user registered on A logs in on B', async () => {
    const username = unique('shared');
    expect(
      (await request(a.url, '/auth/register', { json: { username, password: PASSWORD } })).status,
    ).toBe(201);
    const res = await login(b.url, username);
    expect(res.status).toBe(200);
    const me = await request(a.url, '/auth/me', {
      token: (res.body as { access_token: string }).access_token,
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username });
  });

  it('a refresh token rotated on B and replayed on A revokes the family on both', async () => {
    const username = unique('family');
    await request(a.url, '/auth/register', { json: { username, password: PASSWORD } });
    const first = (await login(a.url, username)).body as { refresh_token: string };
    const rotated = await request(b.url, '/auth/refresh', {
      json: { refresh_token: first.refresh_token },
    });
    expect(rotated.status).toBe(200);
    const next = (rotated.body as { refresh_token: string }).refresh_token;
    const replay = await request(a.url, '/auth/refresh', {
      json: { refresh_token: first.refresh_token },
    });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    for (const base of [a.url, b.url]) {
      const res = await request(base, '/auth/refresh', { json: { refresh_token: next } });
      expect(res.status).toBe(401);
    }
  });

  it('parallel registrations of one name across A and B give exactly one 201', async () => {
    const username = unique('race');
    const attempts = Array.from({ length: 8 }, (_, i) =>
      request(i % 2 ? a.url : b.url, '/auth/register', {
        json: { username: i % 3 ? username : username.toUpperCase(), password: PASSWORD },
      }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });
});

describe('the embedded default (PGlite in AUTH_DATA_DIR)', () => {
  it('keeps users across a restart, refuses a second process, and survives a stale lock', async () => {
    const dataDir = tempDataDir();
    const env = { AUTH_DATA_DIR: dataDir };
    const username = unique('persist');
    const first = await startExample('hono', env, 60_000);
    expect(
      (await request(first.url, '/auth/register', { json: { username, password: PASSWORD } }))
        .status,
    ).toBe(201);

    const second = await runUntilExit('hono', env, 60_000);
    expect(second.listened).toBe(false);
    expect(second.code).toBe(1);
    const lines = appLines(second.stderr);
    expect(lines, second.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: AUTH_DATA_DIR .* is in use by another process/);

    expect(await first.stop('SIGTERM')).toBe(0);
    const restarted = await startExample('hono', env, 60_000);
    expect((await login(restarted.url, username)).status).toBe(200);

    // A killed process leaves its lock behind; the next start takes it over.
    killGroup(restarted);
    await restarted.exited;
    await processGone(lockPid(dataDir));
    const afterKill = await startExample('hono', env, 60_000);
    expect((await login(afterKill.url, username)).status).toBe(200);
    expect(await afterKill.stop('SIGTERM')).toBe(0);
  }, 180_000);
});
