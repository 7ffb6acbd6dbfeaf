/** {@link storageFromEnv}: `DATABASE_URL` picks a server, otherwise PGlite in `AUTH_DATA_DIR`. */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthConfigError } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageFromEnv } from '../src/index.js';
import {
  DATABASE_URL,
  dropSchema,
  NO_SERVER,
  removeDir,
  tempDir,
  uniqueSchema,
} from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('storageFromEnv', () => {
  it('opens PGlite in the data dir, made with its parents, when DATABASE_URL is unset or empty', async () => {
    for (const databaseUrl of [undefined, '', '  ']) {
      const dataDir = join(dir, 'a', 'b', '.data');
      const storage = await storageFromEnv({ databaseUrl, dataDir });
      expect(storage.kind).toBe('pglite');
      expect(storage.schema).toBe('auth');
      expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);
      await storage.close();
    }
  });

  it('passes a bad schema through as the AuthConfigError naming it', async () => {
    const error = await storageFromEnv({ dataDir: dir, schema: 'no good' }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error).toMatchObject({ option: 'schema' });
  });

  it('names AUTH_DATA_DIR when the directory cannot be made', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const dataDir = join(file, '.data');
    const error = await storageFromEnv({ dataDir }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^AUTH_DATA_DIR \S+a-file\/\.data: ENOTDIR/);
    expect((error as Error).message).not.toContain('\n');
  });

  it.skipIf(!DATABASE_URL)(
    `connects to DATABASE_URL when set${DATABASE_URL ? '' : ` (skipped: ${NO_SERVER})`}`,
    async () => {
      const schema = uniqueSchema();
      const storage = await storageFromEnv({ databaseUrl: DATABASE_URL, dataDir: dir, schema });
      try {
        expect(storage.kind).toBe('postgres');
        expect(await storage.users.findUserById('nobody')).toBeNull();
        expect(existsSync(join(dir, 'pgdata'))).toBe(false);
      } finally {
        await storage.close();
        await dropSchema(schema);
      }
    },
  );
});
