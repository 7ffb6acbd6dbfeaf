/**
 * Error mapping: a database the store cannot reach is `storage_unavailable` (503) with a
 * description that names no SQL, parameter, connection string or password; a taken
 * username is `username_taken`; a conflict the core never causes is `internal_error`.
 * Against a real server: lost connections and a database that goes away and comes back.
 */

import { createServer, Socket as NetSocket, type Server, type Socket } from 'node:net';
import { AuthError } from '@auth/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type PgAuthStorage,
  pgliteStorage,
  pgStorage,
  StorageFailure,
  storageFromEnv,
} from '../src/index.js';
import { mapErrors } from '../src/lib/errors.js';
import { DATABASE_URL, dropSchema, NO_SERVER, onServer, uniqueSchema } from './helpers.js';

const T0 = 1_767_225_600_000;
const PASSWORD = 'hunter2-s3cret';

function user(id: string, usernameKey: string) {
  return {
    id,
    username: usernameKey,
    usernameKey,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: ['user'],
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
  };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectNoSecret(error: unknown, url: string): void {
  const shown = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify((error as AuthError).toJSON?.())}`;
  for (const secret of [PASSWORD, url, 'postgres://', 'SELECT', 'INSERT']) {
    expect(shown).not.toContain(secret);
  }
}

describe('a database that cannot be reached', () => {
  let url: string;
  let storage: PgAuthStorage;
  beforeAll(async () => {
    url = `postgres://auth:${PASSWORD}@127.0.0.1:${await closedPort()}/auth`;
    storage = await pgStorage({ connectionString: url, migrate: false });
  });
  afterAll(() => storage.close());

  it('rejects every operation with storage_unavailable (503), leaking nothing', async () => {
    const attempts = [
      storage.users.findUserByUsername('alice'),
      storage.users.createUser(user('id-1', 'alice')),
      storage.sessions.spendToken('hash', { tokenHash: 'next', expiresAt: T0 + 1 }, T0),
      storage.rateLimits.hit('login:alice', 60_000, T0, 5),
      storage.prune(T0),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'storage_unavailable', status: 503 });
      expect((error as AuthError).toJSON()).toEqual({
        error: 'storage_unavailable',
        error_description: 'the service is temporarily unavailable',
      });
      expect((error as AuthError).cause).toBeInstanceOf(StorageFailure);
      expect((error as AuthError).cause).toMatchObject({ code: 'ECONNREFUSED' });
      expectNoSecret(error, url);
    }
  });

  it('fails pgStorage() at start-up with storage_unavailable, and ends its pool', async () => {
    const error = await pgStorage({ connectionString: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    // Says why, to the app starting up (a request's answer keeps the generic description).
    expect(error).toMatchObject({
      code: 'storage_unavailable',
      message: 'cannot use the database (ECONNREFUSED)',
    });
    expect((error as AuthError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expectNoSecret(error, url);
  });

  it('fails storageFromEnv() with one line naming DATABASE_URL, not its value', async () => {
    const error = await storageFromEnv({ databaseUrl: url, dataDir: '/nonexistent' }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('DATABASE_URL: cannot use the database (ECONNREFUSED)');
    expectNoSecret(error, url);
  });

  it('gives the reason of a failure that has no code: the first line of its message', async () => {
    // A server that hangs up at once (not PostgreSQL, or one going down): no code.
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const hangsUp = `postgres://auth:${PASSWORD}@127.0.0.1:${port}/auth`;
    try {
      const error = await storageFromEnv({ databaseUrl: hangsUp, dataDir: '/nonexistent' }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe(
        'DATABASE_URL: cannot use the database: Connection terminated unexpectedly',
      );
      expectNoSecret(error, hangsUp);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('needs exactly one of pool and connectionString', async () => {
    await expect(pgStorage({})).rejects.toMatchObject({ name: 'AuthConfigError' });
  });
});

describe('mapping of constraint violations (PGlite)', () => {
  let storage: PgAuthStorage;
  beforeAll(async () => {
    storage = await pgliteStorage();
  });
  afterAll(() => storage.close());

  it('a taken username key is username_taken (409)', async () => {
    await storage.users.createUser(user('id-a', 'taken'));
    const error = await storage.users.createUser(user('id-b', 'taken')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'username_taken', status: 409 });
  });

  it('a duplicate id, token or family, or an unknown user, is internal_error without values', async () => {
    const duplicateId = await storage.users
      .createUser(user('id-a', 'other'))
      .catch((e: unknown) => e);
    expect(duplicateId).toMatchObject({ code: 'internal_error' });
    const orphan = await storage.sessions
      .createFamily(
        { id: 'fam-x', userId: 'no-such-user', createdAt: T0 },
        { tokenHash: 'secret-token-hash', expiresAt: T0 + 1 },
      )
      .catch((e: unknown) => e);
    expect(orphan).toMatchObject({ code: 'internal_error' });
    const cause = (orphan as AuthError).cause as StorageFailure;
    expect(cause).toBeInstanceOf(StorageFailure);
    expect(cause.code).toBe('23503');
    expect(Object.keys(cause)).not.toContain('params');
    expect(JSON.stringify(cause)).not.toContain('secret-token-hash');
    expect(`${String(orphan)} ${cause.message}`).not.toContain('secret-token-hash');
  });

  it("names node-postgres's code-less timeouts, so a log line tells them apart", () => {
    const cases: Array<[string, string | undefined]> = [
      ['timeout exceeded when trying to connect', 'POOL_TIMEOUT'],
      ['Connection terminated due to connection timeout', 'CONNECT_TIMEOUT'],
      ['Query read timeout', 'QUERY_TIMEOUT'],
      ['something else', undefined],
    ];
    for (const [message, code] of cases) {
      expect(new StorageFailure(new Error(message)).code, message).toBe(code);
    }
    const coded = Object.assign(new Error('Query read timeout'), { code: '57014' });
    expect(new StorageFailure(coded).code).toBe('57014');
  });

  it('a time that is not whole milliseconds is a RangeError, not a database error', async () => {
    await expect(storage.rateLimits.hit('k', 1.5, T0, 5)).rejects.toBeInstanceOf(RangeError);
    await expect(storage.rateLimits.hit('k', 0, T0, 5)).rejects.toBeInstanceOf(RangeError);
    await expect(storage.rateLimits.hit('k', 60_000, T0, 0)).rejects.toBeInstanceOf(RangeError);
    await expect(storage.sessions.revokeFamily('f', Number.NaN)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('transient conflicts', () => {
  it('run an aborted operation again, up to 3 attempts, then give up as storage_unavailable', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const flaky = mapErrors(
      {
        async twice() {
          calls++;
          if (calls <= 2) throw deadlock;
          return 'done';
        },
        async always() {
          throw deadlock;
        },
      },
      'users_username_key_unique',
    );
    expect(await flaky.twice()).toBe('done');
    expect(calls).toBe(3);
    await expect(flaky.always()).rejects.toMatchObject({ code: 'storage_unavailable' });
  });
});

/** A TCP proxy to the server that can cut every connection and refuse new ones. */
async function outageProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  async function up(): Promise<void> {
    server = createServer((client) => {
      const upstream = new NetSocket();
      upstream.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  }
  async function down(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  }
  await up();
  return { port: () => port, up, down };
}

describe.skipIf(!DATABASE_URL)(
  `a database that goes away and comes back${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
  () => {
    const schema = uniqueSchema();
    afterAll(() => dropSchema(schema));

    it('survives idle connections being killed, without crashing the process', async () => {
      const application = `auth-pg-${schema}`;
      const onIdleError = vi.fn();
      const storage = await pgStorage({
        connectionString: DATABASE_URL,
        schema,
        poolConfig: { application_name: application, max: 4 },
        onIdleError,
      });
      try {
        await Promise.all(
          Array.from({ length: 4 }, (_, i) => storage.rateLimits.hit(`k${i}`, 60_000, T0, 5)),
        );
        const killed = await onServer(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [application],
        );
        expect(killed.length).toBeGreaterThan(0);
        // Every killed idle connection reports its error and leaves the pool; until then the
        // pool could still hand out a dead one.
        await vi.waitFor(() =>
          expect(onIdleError.mock.calls.length).toBeGreaterThanOrEqual(killed.length),
        );
        expect(await storage.rateLimits.hit('k0', 60_000, T0, 5)).toMatchObject({ count: 2 });
      } finally {
        await storage.close();
      }
    });

    it('without onIdleError, warns of a killed idle connection by its code only', async () => {
      const application = `auth-pg-warn-${schema}`;
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const storage = await pgStorage({
        connectionString: DATABASE_URL,
        schema,
        poolConfig: { application_name: application, max: 1 },
      });
      try {
        await storage.rateLimits.hit('w', 60_000, T0, 5);
        const killed = await onServer(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [application],
        );
        expect(killed.length).toBe(1);
        await vi.waitFor(() => expect(warn).toHaveBeenCalled());
        expect(warn.mock.calls.map((call) => String(call[0]))).toContain(
          '[@auth/pg] an idle database connection failed (57P01); the pool will reconnect',
        );
      } finally {
        warn.mockRestore();
        await storage.close();
      }
    });

    it('answers storage_unavailable within seconds while a table is locked, not after the lock', async () => {
      const storage = await pgStorage({ connectionString: DATABASE_URL, schema });
      const locker = new pg.Client({ connectionString: DATABASE_URL });
      await locker.connect();
      try {
        await storage.users.createUser(user('id-locked', 'locked'));
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE "${schema}".users IN ACCESS EXCLUSIVE MODE`);
        // The pool's lock_timeout (5 s) ends the wait: the lock is only released in `finally`,
        // so without it the lookup would wait until the test times out.
        const error = await storage.users.findUserById('id-locked').catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'storage_unavailable', retryAfter: 5 });
      } finally {
        await locker.end();
        await storage.close();
      }
    }, 30_000);

    it('answers storage_unavailable during an outage and recovers after it', async () => {
      const server = new URL(DATABASE_URL!);
      const proxy = await outageProxy({ host: server.hostname, port: Number(server.port || 5432) });
      const url = new URL(DATABASE_URL!);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port());
      const storage = await pgStorage({
        connectionString: url.href,
        schema,
        poolConfig: { connectionTimeoutMillis: 2_000 },
        onIdleError: () => {},
      });
      try {
        await storage.users.createUser(user('id-outage', 'outage'));
        await proxy.down();
        const error = await storage.users.findUserById('id-outage').catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'storage_unavailable' });
        expectNoSecret(error, url.href);
        await proxy.up();
        expect(await storage.users.findUserById('id-outage')).toMatchObject({ id: 'id-outage' });
      } finally {
        await storage.close();
        await proxy.down();
      }
    });
  },
);
