/** The entry point as a process: start-up line, configuration errors, graceful shutdown. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each process gets its own embedded store: PGlite serves one process per directory. */
const freshDataDir = () => mkdtempSync(join(tmpdir(), 'auth-example-'));

import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

function start(env: Record<string, string>): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
} {
  // `node --import tsx` rather than the `tsx` CLI: under load the CLI's signal relay can
  // SIGKILL the app when it does not acknowledge a signal within 30 ms, which would test tsx.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      AUTH_DATA_DIR: freshDataDir(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  return { child, out: () => out, err: () => err };
}

async function listening(out: () => string, child: ChildProcess): Promise<string> {
  // Up to 25 s: a fresh embedded store and the first argon2id hashes take seconds on a busy CI box.
  for (let i = 0; i < 500 && child.exitCode === null; i++) {
    const match = /^listening on (http:\/\/\S+)$/m.exec(out());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start: ${out()}`);
}

describe('example server (express)', () => {
  it('starts, seeds the admin, serves, and exits 0 on SIGTERM after in-flight requests', async () => {
    const { child, out } = start({
      AUTH_SECRET: 'a-test-secret-that-is-at-least-32-bytes',
      AUTH_ADMIN_USERNAME: 'root',
      AUTH_ADMIN_PASSWORD: 'root-password',
    });
    const url = await listening(out, child);
    expect(out().trim().split('\n')).toHaveLength(1);
    expect(await (await fetch(`${url}/ping`)).json()).toEqual({ ping: 'pong' });

    // A login whose body is still arriving when the signal comes: it must be answered.
    const body = JSON.stringify({ username: 'root', password: 'root-password' });
    const { hostname, port } = new URL(url);
    const req = request({
      host: hostname,
      port,
      path: '/auth/login',
      method: 'POST',
      agent: false,
    });
    req.setHeader('content-type', 'application/json');
    req.setHeader('content-length', Buffer.byteLength(body));
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = once(child, 'exit');
    const killedAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${url}/ping`)).rejects.toThrow(); // no longer accepting
    req.end(body.slice(10));
    const res = await answered;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toHaveProperty('access_token');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(4000); // closed, not force-exited after 5 s
  });

  it('a configuration error is one line on stderr and exit code 1', async () => {
    const { child, out, err } = start({ AUTH_SECRET: 'too-short' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(err()).toBe('error: AUTH_SECRET must be at least 32 bytes\n');
    expect(out()).toBe('');
  });
});
