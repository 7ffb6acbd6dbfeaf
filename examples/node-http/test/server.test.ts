import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each process gets its own embedded store: PGlite serves one process per directory. */
const freshDataDir = () => mkdtempSync(join(tmpdir(), 'auth-example-'));

import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'an-example-secret-that-is-at-least-32-bytes';
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/**
 * Runs `node --import tsx src/server.ts` (the start script's command) with the given
 * environment: one process, which a kill stops (the `tsx` CLI runs the app in a child of its
 * own, which a SIGKILL of the CLI would leave running).
 */
function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0', AUTH_DATA_DIR: freshDataDir(), ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function listening(started: Started): Promise<string> {
  // Up to 25 s: a fresh embedded store and the first argon2id hashes take seconds on a busy CI box.
  for (let i = 0; i < 500; i++) {
    const match = /^listening on (http:\/\/\S+)$/m.exec(started.stdout());
    if (match) return match[1]!;
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no listening line; stderr: ${started.stderr()}`);
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('src/server.ts', () => {
  it('refuses a short AUTH_SECRET with one line naming it, exit 1', async () => {
    const started = start({ AUTH_SECRET: 'short' });
    expect(await started.exit).toBe(1);
    expect(started.stderr()).toBe('error: AUTH_SECRET must be at least 32 bytes\n');
    expect(started.stdout()).toBe('');
  });

  it('refuses a bad TTL, naming the variable', async () => {
    const started = start({ AUTH_SECRET: SECRET, AUTH_ACCESS_TTL: 'soon' });
    expect(await started.exit).toBe(1);
    expect(started.stderr()).toMatch(/^error: AUTH_ACCESS_TTL .*\n$/);
  });

  it('listens, seeds the admin, and exits 0 on SIGTERM after in-flight requests', async () => {
    const started = start({
      AUTH_SECRET: SECRET,
      AUTH_ADMIN_USERNAME: 'root',
      AUTH_ADMIN_PASSWORD: 'admin-password-1',
    });
    const url = await listening(started);
    expect(started.stdout()).toBe(`listening on ${url}\n`);
    expect((await fetch(`${url}/ping`)).status).toBe(200); // leaves an idle keep-alive socket

    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: 'admin-password-1' }),
    });
    const { access_token } = (await login.json()) as { access_token: string };
    const admin = await fetch(`${url}/admin`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(admin.status).toBe(200);

    // A register (argon2id at full cost) is in flight when the signal arrives.
    const inFlight = fetch(`${url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'late-user', password: 'password-1' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t0 = performance.now();
    started.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    expect(await started.exit).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('exits 0 on SIGINT', async () => {
    const started = start({ AUTH_SECRET: SECRET });
    await listening(started);
    started.child.kill('SIGINT');
    expect(await started.exit).toBe(0);
  });
});
