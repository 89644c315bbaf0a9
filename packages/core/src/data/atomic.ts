/**
 * Writing files so that a reader sees the old file or the complete new one,
 * never a half-written one: write a temporary file in the same directory (so
 * the rename cannot cross file systems) and rename it over the target.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CvnetError } from '../errors.js';

/** A hidden sibling of `path`, unique per call. */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to `path` atomically. */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  await atomicWriteStream(path, [data]);
}

/**
 * Streams `source` into `path` atomically: the target appears (or is replaced)
 * only when the whole source has been written. If the source throws, the
 * temporary file is removed, any existing file at `path` is untouched, and
 * the error is rethrown.
 */
export async function atomicWriteStream(
  path: string,
  source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const temp = tempPath(path);
  // `flags: 'wx'` so a leftover temp name can never be clobbered silently.
  const out = createWriteStream(temp, { flags: 'wx' });
  try {
    await pipeline(Readable.from(source, { objectMode: false }), out);
    await rename(temp, path);
  } catch (error) {
    // The file is opened asynchronously: when the source fails at once, the
    // open can still be under way as pipeline rejects, and would create the
    // temp file after an rm. Wait until the stream has closed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await rm(temp, { force: true });
    // File-system failures (no such directory, permissions, disk full) become
    // one clear error about the target; the source's own errors pass through.
    const io = error as NodeJS.ErrnoException;
    if (typeof io.syscall === 'string') {
      throw new CvnetError('IO', `${path}: cannot write (${io.code ?? io.message})`, { cause: error });
    }
    throw error;
  }
}
