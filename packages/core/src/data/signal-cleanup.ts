/**
 * Temporary files removed when the process is interrupted. A signal ends Node
 * without running `finally` blocks, so Ctrl-C during a write would leave the
 * half-written temporary file behind. The handlers are installed only while
 * some path is registered, so the rest of the time a signal acts as it would
 * without cvnet's handlers.
 */
import { rmSync } from 'node:fs';

/** Signal numbers, for the shell's 128 + n exit codes. */
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type Signal = keyof typeof SIGNALS;

const paths = new Set<string>();

function onSignal(signal: Signal): void {
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Best effort: a path that cannot be removed must not stop the exit.
    }
  }
  paths.clear();
  listen(false);
  // A listener of the program's own (a server's graceful stop) decides what
  // happens next; alone, exit as the signal itself would have.
  if (process.listenerCount(signal) === 0) process.exit(128 + SIGNALS[signal]);
}

function listen(on: boolean): void {
  for (const signal of Object.keys(SIGNALS) as Signal[]) {
    if (on) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

/**
 * Removes `path` (a file or a directory tree) if SIGINT or SIGTERM arrives
 * before the returned function is called, then exits with 130 or 143.
 */
export function removeOnSignal(path: string): () => void {
  if (paths.size === 0) listen(true);
  paths.add(path);
  return () => {
    if (paths.delete(path) && paths.size === 0) listen(false);
  };
}
