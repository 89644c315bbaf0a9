/** Node.js loader: reads cvnet.wasm next to the package (works from src/ and dist/). */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../network/types.js';
import { createEngine } from './engine.js';

let cached: Promise<Engine> | undefined;

/** The shared engine, compiled once per process. */
export function loadEngine(): Promise<Engine> {
  cached ??= (async () => {
    const bytes = await readFile(new URL('../../wasm/cvnet.wasm', import.meta.url));
    return createEngine(await WebAssembly.compile(bytes));
  })().catch((error: unknown) => {
    cached = undefined; // let a later call retry (e.g. after `npm run build:wasm`)
    throw error;
  });
  return cached;
}
