/**
 * Writes text chunks to stdout with backpressure. When the reader goes away
 * (EPIPE, e.g. `cvnet predict … | head`) the rest of the input is not read:
 * that is a normal end for a Unix filter, not an error.
 */
export async function writeToStdout(source: AsyncIterable<string | Uint8Array>): Promise<void> {
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
