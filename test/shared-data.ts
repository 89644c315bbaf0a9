/**
 * The real public datasets live in ../shared/data beside the clone (never
 * copied into the repo). CI has them at the same place, so a missing file is a
 * broken checkout and fails loudly instead of skipping.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dataDir = fileURLToPath(new URL('../../shared/data/', import.meta.url));

export function sharedData(name: string): string {
  const path = dataDir + name;
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: the shared datasets must sit in ../shared/data beside the repository`);
  }
  return path;
}
