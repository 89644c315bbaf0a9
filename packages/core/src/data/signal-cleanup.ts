/**
 * Temporary files removed when the process is interrupted. A signal ends Node
 * without running `finally` blocks, so Ctrl-C during a write would leave the
 * half-written temporary file behind. The handlers are installed only while
 * some path is registered, so the rest of the time a signal acts as it would
 * without cvnet's handlers.
 */
import { rmSync } from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Signal = (typeof SIGNALS)[number];

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
  // happens next; alone, die by the signal itself, its handlers gone: a shell
  // stops a loop or script on a child killed by SIGINT, not on exit code 130.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listen(on: boolean): void {
  for (const signal of SIGNALS) {
    if (on) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

/**
 * Removes `path` (a file or a directory tree) if SIGINT or SIGTERM arrives
 * before the returned function is called, then ends the process by that
 * signal (a shell reports 130 or 143).
 */
export function removeOnSignal(path: string): () => void {
  if (paths.size === 0) listen(true);
  paths.add(path);
  return () => {
    if (paths.delete(path) && paths.size === 0) listen(false);
  };
}
