/**
 * The schema of the store, as versioned migrations shipped in the package. `migrate()`
 * applies the ones a database lacks, in order, in one transaction holding an advisory
 * lock on the schema, and records each in the migrations table: safe to run on every
 * start, from any number of instances at once.
 */

import type { TableNames } from './names.js';
import type { Queryable, QueryRunner } from './queryable.js';
import { toNumber } from './rows.js';

/** One versioned change of the schema. */
export interface Migration {
  /** Version, from 1, increasing by one. */
  readonly version: number;
  /** Short description, stored with the version. */
  readonly name: string;
  /** The statements, one SQL statement each, for the given table names. */
  statements(t: TableNames): string[];
}

/**
 * Every migration, oldest first. Times are `bigint` milliseconds since the epoch, as the
 * core passes them; refresh tokens are stored only as the hash the core gives; passwords
 * only as PHC strings. Every expiry column is indexed for `prune`.
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'users, session families, refresh tokens, rate limits',
    statements: (t: TableNames) => [
      `CREATE TABLE IF NOT EXISTS ${t.users} (
        id text PRIMARY KEY,
        username text NOT NULL,
        username_key text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        disabled boolean NOT NULL DEFAULT false,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        CONSTRAINT "${t.usernameConstraint}" UNIQUE (username_key)
      )`,
      `CREATE TABLE IF NOT EXISTS ${t.families} (
        id text PRIMARY KEY,
        user_id text NOT NULL REFERENCES ${t.users} (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        last_used_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        revoked_at bigint
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.local('session_families_user_id_idx')}
        ON ${t.families} (user_id)`,
      `CREATE INDEX IF NOT EXISTS ${t.local('session_families_expires_at_idx')}
        ON ${t.families} (expires_at)`,
      `CREATE TABLE IF NOT EXISTS ${t.tokens} (
        token_hash text PRIMARY KEY,
        family_id text NOT NULL REFERENCES ${t.families} (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        spent_at bigint
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.local('refresh_tokens_family_id_idx')}
        ON ${t.tokens} (family_id)`,
      `CREATE INDEX IF NOT EXISTS ${t.local('refresh_tokens_expires_at_idx')}
        ON ${t.tokens} (expires_at)`,
      `CREATE TABLE IF NOT EXISTS ${t.rateLimits} (
        key text PRIMARY KEY,
        count integer NOT NULL,
        reset_at bigint NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.local('rate_limits_reset_at_idx')}
        ON ${t.rateLimits} (reset_at)`,
    ],
  },
  {
    version: 2,
    name: 'rate limits count in a sliding window',
    statements: (t: TableNames) => [
      // When each kept hit stops counting, ascending; `reset_at` becomes the last of them.
      `ALTER TABLE ${t.rateLimits} ADD COLUMN IF NOT EXISTS expiries bigint[] NOT NULL DEFAULT '{}'`,
      // A fixed window's hits all counted until its end: so they do now.
      `UPDATE ${t.rateLimits} SET expiries = array_fill(reset_at, ARRAY[LEAST(count, 1000)])
        WHERE cardinality(expiries) = 0`,
      `ALTER TABLE ${t.rateLimits} DROP COLUMN IF EXISTS count`,
    ],
  },
]);

/**
 * The tables were migrated by a newer release than this one: its code may not read or write
 * them correctly, so it refuses to start on them.
 */
export class SchemaVersionError extends Error {
  constructor(schema: string, found: number, known: number) {
    super(
      `the tables in schema "${schema}" are at migration version ${found}, newer than this ` +
        `@auth/pg knows (${known}): upgrade @auth/pg, or use another schema`,
    );
    this.name = 'SchemaVersionError';
  }
}

/** The newest version in {@link MIGRATIONS}. */
export const LATEST_VERSION = MIGRATIONS.length;

/**
 * Applies the migrations `db` lacks. Creates the schema when missing (only then, so a
 * role without `CREATE` on the database can use a schema made for it), takes a
 * transaction-scoped advisory lock keyed by schema and prefix so concurrent callers run
 * one after another, and records each applied version.
 * @param db - the connection
 * @param t - where the tables live
 * @param migrations - the migrations to apply (default {@link MIGRATIONS})
 * @returns the versions applied by this call
 */
export async function migrate(
  db: Queryable,
  t: TableNames,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `@auth/pg migrate ${t.schema}.${t.prefix}`,
    ]);
    await ensureSchema(tx, t);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${t.migrations} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const rows = await tx.query(`SELECT version FROM ${t.migrations}`);
    const applied = new Set(rows.map((row) => toNumber(row.version)));
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) throw new SchemaVersionError(t.schema, newest, known);
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(t)) await tx.query(statement);
      await tx.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}

async function ensureSchema(tx: QueryRunner, t: TableNames): Promise<void> {
  const found = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.schema]);
  if (found.length === 0) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schemaSql}`);
}
