import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { setTimeout } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CvnetError, DataError } from '../errors.js';
import { atomicWriteFile, atomicWriteStream } from './atomic.js';

const root = mkdtempSync(join(tmpdir(), 'cvnet-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
/** A fresh directory per test, so leftovers of one cannot hide in another's listing. */
const fresh = (): string => {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  return dir;
};

/** A special file made with mknod/mkfifo; undefined where that is not allowed (mknod needs root). */
function special(path: string, command: 'mknod' | 'mkfifo'): string | undefined {
  // Major 1, minor 3 is the null device: whatever is written disappears.
  const args = command === 'mknod' ? ['-m', '666', path, 'c', '1', '3'] : [path];
  return spawnSync(command, args).status === 0 ? path : undefined;
}
const canMknod = special(join(root, 'probe'), 'mknod') !== undefined;

describe('atomic writes to a regular file', () => {
  it('leaves no file (and no temp file) when the source fails, and keeps an existing file', async () => {
    const dir = fresh();
    const target = join(dir, 'out.txt');
    async function* failing(): AsyncGenerator<string> {
      yield 'partial';
      throw new DataError('boom');
    }
    await expect(atomicWriteStream(target, failing())).rejects.toThrow('boom');
    expect(existsSync(target)).toBe(false);
    writeFileSync(target, 'old');
    await expect(atomicWriteStream(target, failing())).rejects.toThrow('boom');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.txt']);
    await atomicWriteStream(target, ['new ', 'content']);
    expect(readFileSync(target, 'utf8')).toBe('new content');
  });

  it('listens for SIGINT and SIGTERM only while a temporary file exists', async () => {
    const listeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    const during: number[][] = [];
    async function* source(fails: boolean): AsyncGenerator<string> {
      yield 'a';
      during.push(listeners());
      if (fails) throw new DataError('boom');
    }
    await atomicWriteStream(join(fresh(), 'ok.txt'), source(false));
    await expect(atomicWriteStream(join(fresh(), 'failed.txt'), source(true))).rejects.toThrow('boom');
    expect(during).toEqual([before.map((n) => n + 1), before.map((n) => n + 1)]);
    expect(listeners()).toEqual(before);
  });

  it('names the target when the directory is missing', async () => {
    const target = join(fresh(), 'no', 'out.txt');
    await expect(atomicWriteFile(target, 'x')).rejects.toThrow(`${target}: cannot write (ENOENT)`);
  });
});

describe('atomic writes through symbolic links', () => {
  it('replaces the file a link names, with the temporary file beside that file, and keeps the link', async () => {
    const [links, files] = [fresh(), fresh()];
    const file = join(files, 'real.csv');
    const link = join(links, 'link.csv');
    writeFileSync(file, 'old');
    symlinkSync(file, link);
    const seen: string[][] = [];
    async function* source(): AsyncGenerator<string> {
      yield 'new ';
      // Mid-write (once the temporary file is open, which happens
      // asynchronously), it must sit where the rename lands.
      for (let i = 0; i < 200 && readdirSync(links).length + readdirSync(files).length < 3; i++) await setTimeout(10);
      seen.push(readdirSync(links), readdirSync(files));
      yield 'content';
    }
    await atomicWriteStream(link, source());
    expect(seen[0]).toEqual(['link.csv']);
    expect(seen[1]!.sort()).toEqual([expect.stringMatching(/^\.real\.csv\.\d+\.[0-9a-f]{8}\.tmp$/), 'real.csv']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(files)).toEqual(['real.csv']);
  });

  it('creates the missing file of a dangling link, resolving a relative link from its own directory', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'sub'));
    symlinkSync('made.csv', join(dir, 'sub', 'link.csv'));
    await atomicWriteFile(join(dir, 'sub', 'link.csv'), 'data');
    expect(readlinkSync(join(dir, 'sub', 'link.csv'))).toBe('made.csv');
    expect(readFileSync(join(dir, 'sub', 'made.csv'), 'utf8')).toBe('data');
    expect(existsSync(join(dir, 'made.csv'))).toBe(false);
  });

  it('follows a chain of links', async () => {
    const dir = fresh();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('c', join(dir, 'b'));
    await atomicWriteFile(join(dir, 'a'), 'end');
    expect(lstatSync(join(dir, 'b')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe('end');
  });

  it('refuses a loop of links', async () => {
    const dir = fresh();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    await expect(atomicWriteFile(join(dir, 'a'), 'x')).rejects.toThrow(`${join(dir, 'a')}: too many levels of symbolic links`);
  });
});

describe('writes to what cannot be replaced', () => {
  it('refuses a directory, also behind a link, with a CvnetError', async () => {
    const dir = fresh();
    symlinkSync(dir, join(dir, 'here'));
    for (const target of [dir, join(dir, 'here')]) {
      const error = await atomicWriteFile(target, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CvnetError);
      expect((error as Error).message).toBe(`${target}: is a directory (expected a file name)`);
    }
    expect(readdirSync(dir)).toEqual(['here']);
  });

  it.skipIf(!canMknod)('writes into a character device, which stays one, also behind a link', async () => {
    const dir = fresh();
    const device = special(join(dir, 'null'), 'mknod')!;
    symlinkSync('null', join(dir, 'link'));
    await atomicWriteFile(device, 'gone');
    await atomicWriteStream(join(dir, 'link'), ['gone ', 'too']);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['link', 'null']);
  });

  it('writes into a FIFO, which its reader receives whole', async () => {
    const dir = fresh();
    const fifo = special(join(dir, 'pipe'), 'mkfifo');
    expect(fifo).toBeDefined();
    // The reader is a process of its own: if the write never opened the FIFO, killing it ends the wait
    // (a read stream here would block a libuv thread for good, and the test file with it).
    const reader = spawn('cat', [fifo!], { stdio: ['ignore', 'pipe', 'inherit'] });
    const received = text(reader.stdout);
    try {
      await atomicWriteStream(fifo!, ['through ', 'the pipe']);
    } catch (error) {
      reader.kill();
      throw error;
    }
    if (!lstatSync(fifo!).isFIFO()) reader.kill(); // replaced: nothing will ever write the FIFO cat waits on
    expect(await received).toBe('through the pipe');
    expect(lstatSync(fifo!).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });
});
