/**
 * Where a command's output goes: --out (written atomically) or standard
 * output, and the check that --out is not the file being read.
 */
import { OptionsError } from '@cvnet/core/lean';
import { atomicWriteStream, replacesInput } from '@cvnet/core/data';

/** Refuses an --out that is the input file itself (by device and inode: links and other spellings too). */
export async function checkOutIsNotInput(out: string | undefined, input: string): Promise<void> {
  if (out !== undefined && (await replacesInput(out, input))) throw new OptionsError(`--out ${out} is the input file ${input}`);
}

/** Streams `source` into `out` atomically, or to standard output without --out. */
export async function writeOutputTo(out: string | undefined, source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  if (out === undefined) await writeToStdout(source);
  else await atomicWriteStream(out, source);
}

/**
 * Writes text chunks to stdout with backpressure. When the reader goes away
 * (EPIPE, e.g. `cvnet predict … | head`) the rest of the input is not read:
 * that is a normal end for a Unix filter, not an error.
 */
async function writeToStdout(source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  const out = process.stdout;
  let closed: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException): void => {
    closed = error;
    out.emit('drain');
  };
  out.on('error', onError);
  try {
    for await (const text of source) {
      if (closed !== undefined) break;
      if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
    }
  } finally {
    out.off('error', onError);
  }
  if (closed !== undefined && closed.code !== 'EPIPE') throw closed;
}
