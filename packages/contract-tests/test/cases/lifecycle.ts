/** Starting without a secret, the listening line, and a clean stop on SIGTERM/SIGINT. */

import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import {
  appLines,
  type ExampleName,
  killGroup,
  launch,
  signalApp,
  startExample,
  tempDataDir,
} from '../harness.js';
import { answers, expectError, expectJson, rawRequest, request } from '../http.js';
import { expectTokens, login, newPassword, refresh, registerUser, uniqueName } from '../users.js';

/** The `listening on` line: exactly one, with the bound host and the real port. */
export function expectListeningLine(example: ExampleRef): void {
  const lines = appLines(example.app.stdout()).filter((l) => l.startsWith('listening on'));
  expect(lines).toEqual([example.app.listeningLine]);
  expect(example.app.listeningLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:[1-9]\d*$/);
}

/** Cases for an instance started without AUTH_SECRET (and not in production). */
export function noSecretCases(example: ExampleRef): void {
  it('without AUTH_SECRET outside production it starts, warns on stderr, and works', async () => {
    expectListeningLine(example);
    const warnings = appLines(example.app.stderr()).filter((l) => /^warning: /.test(l));
    expect(
      warnings.some((l) => l.includes('AUTH_SECRET')),
      example.app.stderr(),
    ).toBe(true);
    const user = await registerUser(example.url, 'nosecret');
    const tokens = await login(example.url, user);
    expectJson(await request(example.url, '/protected', { token: tokens.access_token }), 200);
  });

  it('SIGTERM: an in-flight request still completes with Connection: close, exit code 0, the port stops answering', async () => {
    expectJson(await request(example.url, '/ping'), 200);
    // A registration costs an argon2id hash, so it is still running when the signal comes.
    // Asked on a keep-alive connection, its answer says the server will close it (RFC 9112 §9.6).
    const body = JSON.stringify({ username: uniqueName('inflight'), password: newPassword() });
    const inFlight = rawRequest(example.url, '/auth/register', {
      headers: { connection: 'keep-alive', 'content-type': 'application/json' },
      chunks: [new TextEncoder().encode(body)],
    });
    await sleep(100);
    const code = await example.app.stop('SIGTERM');
    const res = await inFlight;
    expectJson(res, 201);
    expect(res.headers.get('connection')).toBe('close');
    expect(code, `exit code after SIGTERM\n${example.app.stderr()}`).toBe(0);
    expect(await answers(example.url)).toBe(false);
  });
}

/** The last case of the main instance: SIGINT stops it with exit code 0. */
export function sigintCase(example: ExampleRef): void {
  it('SIGINT → exit code 0 and the port stops answering', async () => {
    expectJson(await request(example.url, '/ping'), 200);
    const code = await example.app.stop('SIGINT');
    expect(code, `exit code after SIGINT\n${example.app.stderr()}`).toBe(0);
    expect(await answers(example.url)).toBe(false);
  });
}

/**
 * A signal that comes again during the shutdown (stopping `pnpm start` by signalling its
 * process group delivers SIGTERM twice: pnpm forwards its copy) changes nothing: in-flight
 * requests complete and the exit code is 0.
 */
export function repeatedSignalCases(name: ExampleName): void {
  it('SIGTERM, then SIGINT and SIGTERM again during the shutdown → in-flight request completes, exit code 0', async () => {
    const app = await startExample(name);
    try {
      expectJson(await request(app.url, '/ping'), 200);
      // A registration costs an argon2id hash: the shutdown waits for it.
      const inFlight = request(app.url, '/auth/register', {
        json: { username: uniqueName('twice'), password: newPassword() },
      });
      await sleep(100);
      for (const signal of ['SIGTERM', 'SIGINT', 'SIGTERM'] as const) {
        app.signal(signal);
        await sleep(30);
      }
      const { code, signal } = await app.exited;
      expect({ code, signal }, `exit after three signals\n${app.stderr()}`).toEqual({
        code: 0,
        signal: null,
      });
      expectJson(await inFlight, 201);
      expect(await answers(app.url)).toBe(false);
    } finally {
      if (!app.hasExited()) killGroup(app);
    }
  });
}

/** A client that stalls mid-request can't hold the stop up: its connection is cut. */
export function stalledClientCases(name: ExampleName): void {
  it('SIGTERM with a request stalled mid-body → its connection is cut, exit code 0 within seconds', {
    timeout: 90_000,
  }, async () => {
    const app = await startExample(name, {}, 60_000, 'script');
    const { hostname, port } = new URL(app.url);
    const socket = connect(Number(port), hostname);
    try {
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // Promises 100 bytes of body and sends 3.
      socket.write(
        'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"u',
      );
      await sleep(200);
      const started = performance.now();
      app.signal('SIGTERM');
      const { code, signal } = await app.exited;
      expect({ code, signal }, `exit after SIGTERM\n${app.stderr()}`).toEqual({
        code: 0,
        signal: null,
      });
      expect(performance.now() - started).toBeLessThan(9_000);
      await closed;
      expect(await answers(app.url)).toBe(false);
    } finally {
      socket.destroy();
      if (!app.hasExited()) killGroup(app);
    }
  });
}

/** AUTH_DATA_DIR: users and sessions survive a restart with the same directory. */
export function restartCases(name: ExampleName): void {
  it('SIGTERM while starting (its store still opening) → exit code 0, the store unlocked for the next start', {
    timeout: 90_000,
  }, async () => {
    const dir = tempDataDir();
    try {
      // Without AUTH_SECRET it warns first: the app's own code is running, its store not open yet.
      const starting = launch(name, { AUTH_DATA_DIR: dir, AUTH_SECRET: undefined });
      const deadline = performance.now() + 60_000;
      while (!/^warning: /m.test(starting.stderr()) && !starting.hasExited()) {
        if (performance.now() > deadline) killGroup(starting);
        await sleep(10);
      }
      signalApp(starting.pid, 'SIGTERM');
      const { code } = await starting.exited;
      expect(code, `exit code\n${starting.stdout()}\n${starting.stderr()}`).toBe(0);
      expect(existsSync(join(dir, 'auth-pg.lock')), 'lock file left behind').toBe(false);
      const next = await startExample(name, { AUTH_DATA_DIR: dir }, 60_000);
      try {
        expectJson(await request(next.url, '/ping'), 200);
      } finally {
        await next.stop('SIGTERM').catch(() => killGroup(next));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('AUTH_DATA_DIR is kept across restarts: users and sessions survive', {
    timeout: 90_000,
  }, async () => {
    const dir = tempDataDir();
    try {
      const first = await startExample(name, { AUTH_DATA_DIR: dir });
      const user = await registerUser(first.url, 'persist').catch((error) => {
        killGroup(first);
        throw error;
      });
      const tokens = await login(first.url, user);
      expect(await first.stop('SIGTERM'), `exit code\n${first.stderr()}`).toBe(0);

      const second = await startExample(name, { AUTH_DATA_DIR: dir });
      try {
        const me = await request(second.url, '/auth/me', { token: tokens.access_token });
        expectJson(me, 200);
        expect(me.body).toEqual({ id: user.id, username: user.username, roles: ['user'] });
        expectTokens(await refresh(second.url, tokens.refresh_token));
        await login(second.url, user);
        const again = await request(second.url, '/auth/register', {
          json: { username: user.username, password: newPassword() },
        });
        expectError(again, 409, 'username_taken');
        // A plain SIGTERM to the `pnpm start` process itself (what a process manager or a
        // test's `child.kill()` sends) reaches the app too: exit code 0, the port closed.
        process.kill(second.pid, 'SIGTERM');
        const { code } = await second.exited;
        expect(code, `exit code of pnpm after SIGTERM\n${second.stderr()}`).toBe(0);
        await expect(fetch(`${second.url}/ping`)).rejects.toThrow();
      } finally {
        if (!second.hasExited()) await second.stop('SIGTERM').catch(() => killGroup(second));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
