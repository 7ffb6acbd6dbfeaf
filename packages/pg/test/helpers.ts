/** Shared helpers of the `@auth/pg` tests. */

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthStorage } from '@auth/core';
import pg from 'pg';
import { afterAll } from 'vitest';

/** `DATABASE_URL` when set: the PostgreSQL server the `postgres` cases run against. */
export const DATABASE_URL = process.env.DATABASE_URL?.trim() || undefined;

/** Why the `postgres` cases are skipped when {@link DATABASE_URL} is not set. */
export const NO_SERVER =
  'DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)';

/** A schema name of its own for one test run, so runs never collide. */
export function uniqueSchema(prefix = 'auth_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Runs `sql` on the server of {@link DATABASE_URL} with a connection of its own. */
export async function onServer<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Drops `schema` and everything in it on the server of {@link DATABASE_URL}. */
export async function dropSchema(schema: string): Promise<void> {
  await onServer(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** A new empty temporary directory; remove it with {@link removeDir}. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'auth-pg-'));
}

/** Removes a directory made by {@link tempDir}. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * A maker of new empty temporary directories for one test file, every one of them removed
 * after the file's tests (call it at the top level of the file).
 */
export function tempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map(removeDir));
  });
  return async () => {
    const dir = await tempDir();
    made.push(dir);
    return dir;
  };
}

/** A name of its own for a row of kind `kind` (`user`, `family`, `hash`) in one test run. */
export function uniqueId(kind: string): string {
  return `${kind}-${randomBytes(8).toString('hex')}`;
}

/** A refresh token to store: a fresh hash, good until `expiresAt`. */
export function newToken(expiresAt: number): { tokenHash: string; expiresAt: number } {
  return { tokenHash: uniqueId('hash'), expiresAt };
}

/** Stores a user with one session family holding one token, created at `createdAt`. */
export async function seedFamily(storage: AuthStorage, createdAt: number, expiresAt: number) {
  const userId = uniqueId('user');
  await storage.users.createUser({
    id: userId,
    username: userId,
    usernameKey: userId,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: [],
    disabled: false,
    createdAt,
    updatedAt: createdAt,
  });
  const familyId = uniqueId('family');
  const first = newToken(expiresAt);
  await storage.sessions.createFamily({ id: familyId, userId, createdAt }, first);
  return { userId, familyId, first };
}
