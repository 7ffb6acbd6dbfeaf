/** `makeDirectory`: `mkdir -p` that settles, also where Node's recursive mkdir never does. */
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory } from '../src/lib/make-directory.js';
import { removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

describe('makeDirectory', () => {
  it('makes a directory with its missing parents, and leaves an existing one alone', async () => {
    const path = join(dir, 'a', 'b', 'c');
    await makeDirectory(path);
    expect((await stat(path)).isDirectory()).toBe(true);
    await makeDirectory(path);
    await makeDirectory(dir);
  });

  it('makes the same directory from parallel calls', async () => {
    const path = join(dir, 'x', 'y');
    await Promise.all(Array.from({ length: 8 }, () => makeDirectory(path)));
    expect((await stat(path)).isDirectory()).toBe(true);
  });

  it('fails on a file in the way, as mkdir does', async () => {
    const file = join(dir, 'file');
    await writeFile(file, '');
    await expect(makeDirectory(file)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(makeDirectory(join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails under /proc, where fs.mkdir({ recursive: true }) never settles',
    async () => {
      await expect(makeDirectory('/proc/auth-test/data')).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );
});
