/**
 * Creating an output directory with its missing parents, one level at a
 * time. Node's `mkdir(path, { recursive: true })` reports a file in the way
 * only as EEXIST or ENOTDIR, and loops forever where the kernel refuses a new
 * entry with ENOENT although the parent exists (/proc); here every level is
 * checked, so each failure names what is wrong.
 */
import { mkdir, readlink, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CvnetError } from '../errors.js';

/**
 * Makes sure `path` is a directory, creating it and its missing parents.
 *
 * @throws CvnetError (code IO) naming the path that is not a directory or
 *   cannot be created.
 */
export async function makeDirectory(path: string): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    // ENOTDIR: a parent is a file, which the parent's own check names.
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new CvnetError('IO', `${path}: cannot look up the directory (${error.code ?? error.message})`, { cause: error });
  });
  if (info?.isDirectory()) return;
  if (info !== undefined) throw new CvnetError('IO', `${path}: exists and is not a directory`);
  const parent = dirname(path);
  if (parent !== path) await makeDirectory(parent);
  await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') {
      if (await stat(path).then((s) => s.isDirectory(), () => false)) return; // made meanwhile by someone else
      const to = await readlink(path).catch(() => undefined); // fails unless a symbolic link
      if (to !== undefined) throw new CvnetError('IO', `${path}: is a symbolic link to ${to}, which does not exist`);
    }
    throw new CvnetError('IO', `${path}: cannot create the directory (${error.code ?? error.message})`, { cause: error });
  });
}
