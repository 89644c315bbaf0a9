/** Watching a model file for `cvnet serve --watch` (Node only). */
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** Editors and atomic writers fire several events per save; wait for them to settle. */
const SETTLE_MS = 100;

/**
 * How often the file's identity is checked as well. A symlink repointed
 * elsewhere fires no event for the file's name: a Kubernetes ConfigMap volume
 * updates `model.json` → `..data/model.json` by repointing `..data` to a new
 * directory.
 */
const POLL_MS = 1000;

/** The file's identity, through symlinks: device, inode, size and modification time; '' when it cannot be read. */
async function identity(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return '';
  }
}

/**
 * Calls `onChange` after `path` changed. The directory is watched, not the
 * file, so a temp-file-and-rename write (as `cvnet train` does) is seen too;
 * polling the file's identity catches what names no event after it.
 *
 * @returns a function that stops watching.
 */
export function watchFile(path: string, onChange: () => void): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  /** The identity when `onChange` was last called (or watching began). */
  let seen = identity(path);
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      seen = identity(path);
      onChange();
    }, SETTLE_MS);
  };
  const watcher = watch(dirname(path), (_event, filename) => {
    if (filename === name) changed();
  });
  const poll = setInterval(() => {
    void Promise.all([seen, identity(path)]).then(([before, now]) => {
      if (stopped || now === before) return;
      seen = Promise.resolve(now);
      changed();
    });
  }, POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher.close();
  };
}
