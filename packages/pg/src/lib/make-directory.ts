/** Creating a data directory and its missing parents, one level at a time. */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Creates `path` and any missing parent, like `mkdir -p`. Node's own `{ recursive: true }`
 * never settles for a path under a directory that refuses new entries with `ENOENT`
 * (`/proc/x`): this walks up one level at a time and fails with that error instead.
 * @throws the file system's error (`ENOENT`, `EACCES`, `ENOTDIR`, `EEXIST` for a file)
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (error) {
    if (code(error) === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw error;
    }
    const parent = dirname(path);
    if (code(error) !== 'ENOENT' || parent === path) throw error;
    await makeDirectory(parent);
  }
  try {
    await mkdir(path);
  } catch (error) {
    if (code(error) !== 'EEXIST' || !(await stat(path)).isDirectory()) throw error;
  }
}
