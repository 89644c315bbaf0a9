import type { ProgressCallback } from '@cvnet/core';

/**
 * A progress line rewritten in place (`\r`): epoch, bar, MSE and learning
 * rate. Redrawn at most ten times a second so a fast run is not slowed by the
 * terminal; `done()` clears the line.
 */
export function progressLine(
  stream: NodeJS.WriteStream,
  epochs: number,
): { onProgress: ProgressCallback; done: () => void } {
  let last = 0;
  const width = 24;
  const onProgress: ProgressCallback = (event) => {
    const now = Date.now();
    if (now - last < 100 && event.epoch < epochs) return;
    last = now;
    const filled = epochs > 0 ? Math.round((width * event.epoch) / epochs) : width;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const vperf = event.vperf === undefined ? '' : `  val ${event.vperf.toExponential(4)}`;
    stream.write(
      `\r\x1b[K[${bar}] epoch ${event.epoch}/${epochs}  mse ${event.perf.toExponential(4)}${vperf}  lr ${event.lr.toPrecision(4)}`,
    );
  };
  return { onProgress, done: () => stream.write('\r\x1b[K') };
}
