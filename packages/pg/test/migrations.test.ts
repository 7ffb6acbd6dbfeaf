/**
 * Migrations: idempotent, safe when several instances start at once, and placed where
 * the `schema` and `tablePrefix` options say; bad names are refused before any SQL runs.
 */

import { AuthConfigError } from '@auth/core';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteStorage, pgStorage, SchemaVersionError, sqlStorage } from '../src/index.js';
import { MIGRATIONS, migrate } from '../src/lib/migrations.js';
import { tableNames } from '../src/lib/names.js';
import { pgliteQueryable } from '../src/lib/queryable.js';
import { DATABASE_URL, dropSchema, NO_SERVER, onServer, uniqueSchema } from './helpers.js';

const TABLES = ['migrations', 'rate_limits', 'refresh_tokens', 'session_families', 'users'];

function tablesIn(rows: { table_name: string }[]): string[] {
  return rows.map((row) => row.table_name).sort();
}

describe('migrations on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(() => db.close());

  it('apply once, record each version, and change nothing when run again', async () => {
    const storage = sqlStorage(pgliteQueryable(db), { schema: 'my_app', tablePrefix: 'auth_' });
    await storage.migrate();
    await storage.migrate();
    await Promise.all([storage.migrate(), storage.migrate()]);
    const versions = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM my_app.auth_migrations ORDER BY version',
    );
    expect(versions.rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'my_app'`,
    );
    expect(tablesIn(tables.rows)).toEqual(TABLES.map((name) => `auth_${name}`));
    const elsewhere = await db.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_name LIKE '%users%' AND table_schema <> 'my_app'`,
    );
    expect(elsewhere.rows).toEqual([]);
  });

  it('refuse tables a newer release migrated, in one line naming the versions', async () => {
    const storage = sqlStorage(pgliteQueryable(db), { schema: 'future' });
    await storage.migrate();
    const newer = MIGRATIONS.length + 1;
    await db.query(
      `INSERT INTO future.migrations (version, name) VALUES ($1, 'from a newer release')`,
      [newer],
    );
    const error = await storage.migrate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as Error).message).toBe(
      `the tables in schema "future" are at migration version ${newer}, newer than this ` +
        `@auth/pg knows (${MIGRATIONS.length}): upgrade @auth/pg, or use another schema`,
    );
  });

  it('version 2 turns each fixed window into hits that count until its end', async () => {
    const q = pgliteQueryable(db);
    const t = tableNames({ schema: 'from_v1' });
    expect(await migrate(q, t, MIGRATIONS.slice(0, 1))).toEqual([1]);
    await db.query(
      `INSERT INTO from_v1.rate_limits (key, count, reset_at) VALUES ('k', 3, 5000), ('old', 2, 10)`,
    );
    expect(await migrate(q, t)).toEqual([2]);
    const store = sqlStorage(q, { schema: 'from_v1' });
    expect(await store.rateLimits.peek('k', 1000)).toEqual({ count: 3, resetAt: 5000 });
    expect(await store.rateLimits.peek('old', 1000)).toBeNull();
    expect(await store.rateLimits.hit('k', 60_000, 1000, 3)).toEqual({ count: 3, resetAt: 5000 });
    expect(await store.rateLimits.prune(1000)).toBe(1);
  });

  it('index every expiry column that prune deletes by', async () => {
    await sqlStorage(pgliteQueryable(db)).migrate();
    const indexes = await db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'auth'`,
    );
    const defs = indexes.rows.map((row) => row.indexdef).join('\n');
    expect(defs).toMatch(/session_families USING btree \(expires_at\)/);
    expect(defs).toMatch(/refresh_tokens USING btree \(expires_at\)/);
    expect(defs).toMatch(/rate_limits USING btree \(reset_at\)/);
    expect(defs).toMatch(/UNIQUE INDEX users_username_key_unique .*\(username_key\)/);
  });

  it.each([
    ['schema', { schema: 'auth"; DROP TABLE users; --' }],
    ['schema', { schema: '1auth' }],
    ['schema', { schema: '' }],
    ['schema', { schema: 'pg_auth' }],
    ['schema', { schema: 'a'.repeat(64) }],
    ['tablePrefix', { tablePrefix: 'auth-' }],
    ['tablePrefix', { tablePrefix: 'x'.repeat(25) }],
  ])('refuse a bad %s: %j', async (option, options) => {
    const error = await pgliteStorage(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error).toMatchObject({ option });
  });
});

describe.skipIf(!DATABASE_URL)(
  `migrations on postgres${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
  () => {
    const schemas: string[] = [];
    const schema = (): string => {
      const name = uniqueSchema();
      schemas.push(name);
      return name;
    };
    afterAll(async () => {
      for (const name of schemas) await dropSchema(name);
    });

    it('are safe when several instances migrate a new schema at once', async () => {
      const name = schema();
      const stores = await Promise.all(
        Array.from({ length: 4 }, () =>
          pgStorage({ connectionString: DATABASE_URL, schema: name, migrate: false }),
        ),
      );
      try {
        await Promise.all(stores.flatMap((store) => [store.migrate(), store.migrate()]));
        const versions = await onServer<{ version: number }>(
          `SELECT version FROM "${name}".migrations ORDER BY version`,
        );
        expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('put the tables in the schema given, apart from other schemas', async () => {
      const [a, b] = [schema(), schema()];
      const first = await pgStorage({ connectionString: DATABASE_URL, schema: a });
      const second = await pgStorage({ connectionString: DATABASE_URL, schema: b });
      try {
        const tables = await onServer<{ table_name: string }>(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
          [a],
        );
        expect(tablesIn(tables)).toEqual(TABLES);
        expect(first.schema).toBe(a);
        await first.users.createUser({
          id: 'only-in-a',
          username: 'Dana',
          usernameKey: 'dana',
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
          roles: [],
          disabled: false,
          createdAt: 1,
          updatedAt: 1,
        });
        expect(await first.users.findUserByUsername('dana')).not.toBeNull();
        expect(await second.users.findUserByUsername('dana')).toBeNull();
      } finally {
        await first.close();
        await second.close();
      }
    });

    // PUBLIC has no CREATE on a database by default, so this role cannot create schemas.
    it('use a schema that exists without needing CREATE on the database', async () => {
      const name = schema();
      const role = `${name}_role`;
      await onServer(`CREATE ROLE "${role}" LOGIN`);
      try {
        await onServer(`CREATE SCHEMA "${name}" AUTHORIZATION "${role}"`);
        const url = new URL(DATABASE_URL!);
        url.username = role;
        const storage = await pgStorage({ connectionString: url.href, schema: name });
        await storage.close();
      } finally {
        await dropSchema(name);
        await onServer(`DROP ROLE IF EXISTS "${role}"`);
      }
    });
  },
);
