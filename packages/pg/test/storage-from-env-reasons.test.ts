/**
 * {@link storageFromEnv}'s start-up line for failures the real stores rarely produce on
 * demand: a driver message that repeats the password, and PGlite's plain-object errors.
 */

import { AuthError } from '@auth/core';
import { describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ pg: undefined as unknown, pglite: undefined as unknown }));
vi.mock('../src/pg-storage.js', () => ({
  pgStorage: () => Promise.reject(failures.pg),
}));
vi.mock('../src/pglite-storage.js', () => ({
  pgliteStorage: () => Promise.reject(failures.pglite),
}));

const { storageFromEnv } = await import('../src/storage-from-env.js');

const unavailable = (message: string) =>
  new AuthError('storage_unavailable', { cause: new Error(message) });

describe('storageFromEnv: the reason in the start-up line', () => {
  it('leaves out a message that repeats the URL or its password, as written or decoded', async () => {
    const url = 'postgres://auth:p%40ss-w0rd@db.internal:5432/auth';
    for (const message of [
      'password "p@ss-w0rd" was refused',
      'bad password p%40ss-w0rd',
      `cannot parse ${url}`,
    ]) {
      failures.pg = unavailable(message);
      const error = await storageFromEnv({ databaseUrl: url, dataDir: '.' }).catch((e) => e);
      expect((error as Error).message).toBe('DATABASE_URL: cannot use the database');
    }
    // A password whose escape does not decode is still left out as written.
    const odd = 'postgres://auth:p%zz-w0rd@db.internal:5432/auth';
    failures.pg = unavailable('bad password p%zz-w0rd');
    const shown = await storageFromEnv({ databaseUrl: odd, dataDir: '.' }).catch((e) => e);
    expect((shown as Error).message).toBe('DATABASE_URL: cannot use the database');
    failures.pg = unavailable('timeout expired\nat line 2');
    const error = await storageFromEnv({ databaseUrl: url, dataDir: '.' }).catch((e) => e);
    expect((error as Error).message).toBe('DATABASE_URL: cannot use the database: timeout expired');
  });

  it("names AUTH_DATA_DIR for PGlite's plain-object errors, never [object Object]", async () => {
    failures.pglite = { name: 'ErrnoError', errno: 54 };
    const error = await storageFromEnv({ dataDir: './data' }).catch((e) => e);
    expect((error as Error).message).toBe(
      "AUTH_DATA_DIR ./data: the embedded database can't use the directory (ErrnoError 54)",
    );
    for (const thrown of [{}, null, 42]) {
      failures.pglite = thrown;
      const other = await storageFromEnv({ dataDir: './data' }).catch((e) => e);
      expect((other as Error).message).toBe(
        'AUTH_DATA_DIR ./data: the embedded database failed to open',
      );
    }
    failures.pglite = 'disk on fire\nsecond line';
    const text = await storageFromEnv({ dataDir: './data' }).catch((e) => e);
    expect((text as Error).message).toBe('AUTH_DATA_DIR ./data: disk on fire');
  });
});
