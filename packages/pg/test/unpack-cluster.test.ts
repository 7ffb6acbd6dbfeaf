/**
 * The unpacker of cluster dumps: directories and regular files of a plain or gzip'd tar go
 * under the data directory with private modes; anything else throws, so that the caller
 * falls back to `initdb`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unpackCluster } from '../src/lib/unpack-cluster.js';
import { tempDirs } from './helpers.js';

const newDir = tempDirs();

/** A data directory that does not exist yet, in a new temporary directory. */
async function fresh(): Promise<string> {
  return join(await newDir(), 'pgdata');
}

/** One tar entry: a 512-byte ustar header, then the content padded to 512 bytes. */
function entry(
  name: string,
  type: '0' | '5' | '2',
  content = '',
  prefix = '',
  magic = 'ustar\u000000',
): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000600\0', 100, 'latin1');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write(type, 156, 'latin1');
  header.write(magic, 257, 'latin1');
  header.write(prefix, 345, 'latin1');
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content, 0, 'latin1');
  return Buffer.concat([header, body]);
}

const END = Buffer.alloc(1024);

describe('unpackCluster', () => {
  it("writes the directories and files of a plain or gzip'd tar, privately", async () => {
    const tar = Buffer.concat([
      entry('/PG_VERSION', '0', '17\n'),
      entry('/base', '5'),
      entry('/base/1', '5'),
      entry('/base/1/112', '0', 'x'.repeat(1300)),
      entry('2600_fsm', '0', 'long path', 'global/deep'),
      entry('/empty', '0'),
      // GNU's header ("ustar  ") keeps other fields where POSIX has the prefix: not a path.
      entry('/gnu', '0', 'g', '15303645625', 'ustar  \0'),
      END,
    ]);
    for (const dump of [tar, gzipSync(tar)]) {
      const dir = await fresh();
      await unpackCluster(new Uint8Array(dump), dir);
      expect((await readdir(dir)).sort()).toEqual(['PG_VERSION', 'base', 'empty', 'global', 'gnu']);
      expect(await readFile(join(dir, 'gnu'), 'latin1')).toBe('g');
      expect(await readFile(join(dir, 'PG_VERSION'), 'latin1')).toBe('17\n');
      expect(await readFile(join(dir, 'base/1/112'), 'latin1')).toBe('x'.repeat(1300));
      expect(await readFile(join(dir, 'global/deep/2600_fsm'), 'latin1')).toBe('long path');
      expect(await readFile(join(dir, 'empty'), 'latin1')).toBe('');
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'base/1'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'base/1/112'))).mode & 0o777).toBe(0o600);
    }
  });

  it('refuses a path outside the directory, a link, and a truncated archive', async () => {
    const cases = [
      Buffer.concat([entry('/../escaped', '0', 'x'), END]),
      Buffer.concat([entry('x', '0', 'y', '../..'), END]),
      Buffer.concat([entry('/link', '2'), END]),
      entry('/PG_VERSION', '0', 'x'.repeat(600)).subarray(0, 800),
    ];
    for (const dump of cases) {
      const dir = await fresh();
      await expect(unpackCluster(new Uint8Array(dump), dir)).rejects.toThrow(/cluster dump/);
    }
    const dir = await fresh();
    await expect(
      unpackCluster(new Uint8Array(Buffer.concat([entry('/../escaped', '0', 'x'), END])), dir),
    ).rejects.toThrow();
    await expect(stat(join(dir, '..', 'escaped'))).rejects.toThrow();
  });
});
