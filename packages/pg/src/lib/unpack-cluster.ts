/**
 * Unpacks a cluster dump (the tar `PGlite.dumpDataDir` writes, plain or gzip'd) into a data
 * directory on disk. PGlite's own `loadDataDir` does the same through its in-WASM file
 * system: a new cluster opened that way took 1.95 s on a 2-core machine, against 1.35 s
 * unpacked here from the plain tar of the template (plain file writes) and then opened.
 * Only directories and regular files are unpacked; any other entry, a path that leaves the
 * directory, or a truncated archive throws, and the caller falls back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const BLOCK = 512;
/** Files written at once. */
const PARALLEL = 16;

/** A NUL-terminated field of a tar header. */
function field(tar: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && tar[end] !== 0) end++;
  return Buffer.from(tar.buffer, tar.byteOffset + offset, end - offset).toString('latin1');
}

/** An octal number field of a tar header. */
function octal(tar: Uint8Array, offset: number, length: number): number {
  const text = field(tar, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error('cluster dump: a size that is not octal');
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** True when the block at `offset` is all zero (the end-of-archive marker). */
function zeroBlock(tar: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + BLOCK; i++) if (tar[i] !== 0) return false;
  return true;
}

/** Where an entry named `name` goes under `dir`; throws for a path that leaves it. */
function target(dir: string, name: string): string {
  const path = join(dir, name);
  const rel = relative(dir, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(`cluster dump: ${name} is outside the data directory`);
  }
  return path;
}

/**
 * Writes the dump into `dir` (made if missing, mode 0700; files mode 0600).
 * @param dump - a tar, or a gzip'd tar, of directories and regular files
 * @throws Error for anything else
 */
export async function unpackCluster(dump: Uint8Array, dir: string): Promise<void> {
  const gzipped = dump[0] === 0x1f && dump[1] === 0x8b;
  const tar = gzipped ? new Uint8Array(await promisify(gunzip)(dump)) : dump;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, Uint8Array]> = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length && !zeroBlock(tar, offset)) {
    const name = field(tar, offset, 100);
    // A POSIX ustar header ("ustar\0") may continue the name in its prefix field; in GNU's
    // ("ustar  ") those bytes hold other fields.
    const prefix =
      field(tar, offset + 257, 6) === 'ustar' && tar[offset + 262] === 0
        ? field(tar, offset + 345, 155)
        : '';
    const size = octal(tar, offset + 124, 12);
    const type = tar[offset + 156];
    const path = target(dir, prefix ? `${prefix}/${name}` : name);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new Error('cluster dump: truncated');
    if (type === 0x35 /* '5' */) {
      await mkdir(path, { recursive: true, mode: 0o700 });
    } else if (type === 0x30 /* '0' */ || type === 0) {
      files.push([path, tar.subarray(start, start + size)]);
    } else {
      throw new Error(`cluster dump: ${name} is neither a file nor a directory`);
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (offset < tar.length && offset + BLOCK > tar.length) {
    throw new Error('cluster dump: truncated');
  }
  // Parents too, should the archive list a file before (or without) its directory.
  for (const parent of new Set(files.map(([path]) => dirname(path)))) {
    await mkdir(parent, { recursive: true, mode: 0o700 });
  }
  for (let i = 0; i < files.length; i += PARALLEL) {
    await Promise.all(
      files.slice(i, i + PARALLEL).map(([path, bytes]) => writeFile(path, bytes, { mode: 0o600 })),
    );
  }
}
