/**
 * Where the store's tables live: a schema and a table prefix, both checked as SQL
 * identifiers and always double-quoted, so no option can inject SQL.
 */

import { AuthConfigError } from '@auth/core';

/** Default schema of the store's tables. */
export const DEFAULT_SCHEMA = 'auth';

/** Longest table prefix, so that every table, index and constraint name fits in 63 bytes. */
export const MAX_TABLE_PREFIX_LENGTH = 24;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options that place the tables; shared by every factory of this package. */
export interface LocationOptions {
  /**
   * Schema holding the store's tables, created by `migrate()` when missing. Letters,
   * digits and `_`, not starting with a digit or `pg_`, at most 63 characters; it is
   * quoted, so case matters. Default `auth`.
   */
  schema?: string;
  /**
   * Prefix of every table, index and constraint name, for sharing a schema (such as
   * `public`) with an application's own tables, e.g. `auth_`. Letters, digits and `_`,
   * at most 24 characters. Default: none.
   */
  tablePrefix?: string;
}

/** Quoted, qualified names of the store's tables, and the unquoted names of its constraints. */
export interface TableNames {
  /** The schema, unquoted. */
  readonly schema: string;
  /** The table prefix, unquoted. */
  readonly prefix: string;
  /** `"schema"`. */
  readonly schemaSql: string;
  readonly migrations: string;
  readonly users: string;
  readonly families: string;
  readonly tokens: string;
  readonly rateLimits: string;
  /** Name of the unique constraint on `users.username_key`. */
  readonly usernameConstraint: string;
  /** Quotes `name` with the prefix applied: for index and constraint names in migrations. */
  local(name: string): string;
}

/**
 * Checks the location options and builds the table names.
 * @throws AuthConfigError naming `schema` or `tablePrefix` when either is not a safe identifier
 */
export function tableNames(options: LocationOptions = {}): TableNames {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const prefix = options.tablePrefix ?? '';
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema) || schema.length > 63) {
    throw new AuthConfigError(
      'schema',
      'must be 1–63 letters, digits or underscores, not starting with a digit',
    );
  }
  if (schema.toLowerCase().startsWith('pg_')) {
    throw new AuthConfigError('schema', 'must not start with "pg_" (reserved by PostgreSQL)');
  }
  if (
    typeof prefix !== 'string' ||
    (prefix !== '' && !IDENTIFIER.test(prefix)) ||
    prefix.length > MAX_TABLE_PREFIX_LENGTH
  ) {
    throw new AuthConfigError(
      'tablePrefix',
      `must be at most ${MAX_TABLE_PREFIX_LENGTH} letters, digits or underscores, not starting with a digit`,
    );
  }
  const schemaSql = quote(schema);
  const table = (name: string): string => `${schemaSql}.${quote(prefix + name)}`;
  return Object.freeze({
    schema,
    prefix,
    schemaSql,
    migrations: table('migrations'),
    users: table('users'),
    families: table('session_families'),
    tokens: table('refresh_tokens'),
    rateLimits: table('rate_limits'),
    usernameConstraint: `${prefix}users_username_key_unique`,
    local: (name: string) => quote(prefix + name),
  });
}

/** Double-quotes an identifier already checked against {@link IDENTIFIER}. */
function quote(identifier: string): string {
  return `"${identifier}"`;
}
