/** Watching a model file for `cvnet serve --watch` (Node only). */
import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Editors and atomic writers fire several events per save; wait for them to settle. */
const SETTLE_MS = 100;

/**
 * Calls `onChange` after `path` changed. The directory is watched, not the
 * file, so a temp-file-and-rename write (as `cvnet train` does) is seen too.
 *
 * @returns a function that stops watching.
 */
export function watchFile(path: string, onChange: () => void): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher = watch(dirname(path), (_event, filename) => {
    if (filename !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
