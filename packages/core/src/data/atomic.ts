/**
 * Writing output files so that a reader sees the old file or the complete new
 * one, never a half-written one: write a temporary file in the target's
 * directory (so the rename cannot cross file systems) and rename it over the
 * target.
 *
 * A rename replaces whatever the name points at, so it is used only where
 * that is a regular file or nothing. A symbolic link is followed and the file
 * it names replaced (a dangling link creates that file), so the link stays a
 * link. A device such as /dev/null, a FIFO or a socket is written to directly:
 * replacing it would destroy it, and atomicity means nothing there; so is a
 * descriptor the process holds (/dev/stdout), whatever it leads to. A
 * directory is refused.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CvnetError } from '../errors.js';
import { removeOnSignal } from './signal-cleanup.js';

/** Where a write to an output path goes. */
export interface OutputTarget {
  /** The file written: the path itself, or the end of its chain of symbolic links. */
  path: string;
  /** True for a device, FIFO or socket, written in place instead of replaced. */
  direct: boolean;
  /** For a descriptor the process holds (/dev/stdout): its number, which the finished output is copied into. */
  descriptor?: number;
}

/** Symbolic links followed before giving up, as Linux does (ELOOP). */
const MAX_LINKS = 40;

/**
 * Resolves `path` to the file a write replaces or writes into.
 *
 * @throws CvnetError (code IO) for a directory, a loop of symbolic links or
 *   a path that cannot be looked up.
 */
export async function outputTarget(path: string): Promise<OutputTarget> {
  // A descriptor the process already holds (/dev/stdout, /dev/fd/1) is
  // written through the descriptor, as a shell redirection is: replacing the
  // file behind it would cut the descriptor off from it, and opening the path
  // again fails for a socket (ENXIO) and makes no sense for a pipe.
  const held = HELD_DESCRIPTOR.exec(resolve(path));
  if (held !== null && (held[3] === undefined || held[3] === 'self' || held[3] === String(process.pid))) {
    return { path, direct: true, descriptor: held[1] !== undefined ? STANDARD.indexOf(held[1]) : Number(held[2] ?? held[4]) };
  }
  try {
    // stat follows every link, so it sees what a write would reach.
    const info = await stat(path).catch(orMissing);
    if (info?.isDirectory()) throw new CvnetError('IO', `${path}: is a directory (expected a file name)`);
    if (info !== undefined && !info.isFile()) return { path, direct: true };
    if (info !== undefined) return { path: await realpath(path), direct: false };
    // Nothing there: a new name, or a dangling link whose target the write creates.
    let target = path;
    for (let links = 0; ; links++) {
      const link = await lstat(target).catch(orMissing);
      if (link === undefined || !link.isSymbolicLink()) return { path: target, direct: false };
      if (links === MAX_LINKS) throw new CvnetError('IO', `${path}: too many levels of symbolic links`);
      // Link text is relative to the link's real directory, as the kernel reads it.
      target = resolve(await realpath(dirname(target)), await readlink(target));
    }
  } catch (error) {
    throw writeError(path, error);
  }
}

const STANDARD = ['stdin', 'stdout', 'stderr'];
/** /dev/stdin|stdout|stderr (1), /dev/fd/N (2), /proc/<pid>/fd/N (3, 4). */
const HELD_DESCRIPTOR = /^\/(?:dev\/(?:(stdin|stdout|stderr)|fd\/(\d+))|proc\/([^/]+)\/fd\/(\d+))$/;

const orMissing = (error: NodeJS.ErrnoException): undefined => {
  if (error.code === 'ENOENT') return undefined;
  if (error.code === 'ELOOP') throw new CvnetError('IO', `${error.path ?? 'the path'}: too many levels of symbolic links`);
  throw error;
};

/**
 * Whether writing `out` would replace the file `input` (the same file by
 * device and inode, through any links or spelling such as `./in.csv`);
 * false when either does not exist yet.
 */
export async function replacesInput(out: string, input: string): Promise<boolean> {
  const [target, source] = await Promise.all([outputTarget(out).then((t) => stat(t.path)), stat(input)].map((p) => p.catch(() => undefined)));
  return target !== undefined && source !== undefined && target.dev === source.dev && target.ino === source.ino;
}

/**
 * Writes `path` through `write`, which is given the file to write and
 * whether that is the target itself (written directly) or a new temporary
 * file, renamed over the target once `write` has resolved. If `write` fails,
 * the temporary file is removed, the target is untouched and the error is
 * rethrown; file-system failures (no such directory, permissions, disk full)
 * become one CvnetError naming `path`.
 */
export async function writeOutput(path: string, write: (file: string, direct: boolean) => Promise<void>): Promise<void> {
  try {
    const target = await outputTarget(path);
    const { descriptor } = target;
    if (target.direct && descriptor === undefined) return await write(target.path, true);
    // A held descriptor gets the output only once it is complete, from a temporary file of its own.
    const temp = join(descriptor === undefined ? dirname(target.path) : tmpdir(), `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const forget = removeOnSignal(temp);
    try {
      await write(temp, false);
      if (descriptor === undefined) await rename(temp, target.path);
      else await pipeline(createReadStream(temp), createWriteStream(path, { fd: descriptor, autoClose: false }));
    } finally {
      await rm(temp, { force: true });
      forget();
    }
  } catch (error) {
    throw writeError(path, error);
  }
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
  await writeOutput(path, async (file, direct) => {
    // `wx` for the temporary file, so a leftover name can never be clobbered silently.
    const out = createWriteStream(file, { flags: direct ? 'w' : 'wx' });
    try {
      await pipeline(Readable.from(source, { objectMode: false }), out);
    } finally {
      // The file is opened asynchronously: when the source fails at once, the
      // open can still be under way as pipeline rejects, and would create the
      // temp file after it is removed. Wait until the stream has closed.
      if (!out.closed) await new Promise<void>((done) => out.once('close', () => done()));
    }
  });
}

/** File-system errors as one line about the target; anything else (the source's own errors) unchanged. */
function writeError(path: string, error: unknown): unknown {
  const io = error as NodeJS.ErrnoException;
  if (error instanceof CvnetError || typeof io.syscall !== 'string') return error;
  return new CvnetError('IO', `${path}: cannot write (${io.code ?? io.message})`, { cause: error });
}
