/**
 * `pnpm start` as a user runs it: the process is spawned with tsx, configured by the
 * environment, and stopped with a signal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each process gets its own embedded store: PGlite serves one process per directory. */
const freshDataDir = () => mkdtempSync(join(tmpdir(), 'auth-example-'));

import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'example-secret-that-is-at-least-32-bytes!';
const children: ChildProcess[] = [];

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string>): Running {
  // `node --import tsx`, the start script's command: one process, which a kill stops (the
  // `tsx` CLI runs the app in a child of its own, which a SIGKILL of the CLI leaves running).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', AUTH_DATA_DIR: freshDataDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d;
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, url: '', stdout: () => out, stderr: () => err, exit };
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const running = run(env);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /^listening on (http:\/\/\S+)$/m.exec(running.stdout());
    if (match?.[1]) return { ...running, url: match[1] };
    if (running.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server did not start: ${running.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('examples/hono server', () => {
  it('prints one listening line, serves the app, and exits 0 on SIGTERM', async () => {
    const server = await start({
      AUTH_SECRET: SECRET,
      AUTH_ADMIN_USERNAME: 'root',
      AUTH_ADMIN_PASSWORD: 'root-password-1',
    });
    expect(server.stdout().trim().split('\n')).toHaveLength(1);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(await (await fetch(`${server.url}/ping`)).json()).toEqual({ ping: 'pong' });
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: 'root-password-1' }),
    });
    expect(login.status).toBe(200);
    const { access_token } = await login.json();
    const admin = await fetch(`${server.url}/admin`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(await admin.json()).toEqual({ message: 'admin only content' });

    // An in-flight request (a login: real argon2id) finishes after the signal.
    const inFlight = fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: 'root-password-1' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await server.exit).toBe(0);
    // Its keep-alive connection is closed once idle: no wait for the keep-alive timeout.
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(server.stderr()).toBe('');
  });

  it('warns when AUTH_SECRET is missing outside production', async () => {
    const server = await start();
    expect(server.stderr()).toMatch(/^warning: AUTH_SECRET is not set/);
    server.child.kill('SIGINT');
    expect(await server.exit).toBe(0);
  });

  it('refuses a bad variable with one line and exit code 1', async () => {
    const server = run({ AUTH_SECRET: 'too-short' });
    expect(await server.exit).toBe(1);
    expect(server.stderr()).toBe('error: AUTH_SECRET must be at least 32 bytes\n');
    expect(server.stdout()).toBe('');
  });

  it('refuses to start in production without a secret', async () => {
    const server = run({ NODE_ENV: 'production' });
    expect(await server.exit).toBe(1);
    expect(server.stderr()).toBe('error: AUTH_SECRET is required when NODE_ENV=production\n');
  });
});
