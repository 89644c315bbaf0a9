/** Node.js loader: reads cvnet.wasm next to the package (works from src/ and dist/). */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../network/types.js';
import { createEngine } from './engine.js';

let cachedModule: Promise<WebAssembly.Module> | undefined;
let cached: Promise<Engine> | undefined;

/** The compiled cvnet.wasm, compiled once per process (engines and threads share it). */
export function loadModule(): Promise<WebAssembly.Module> {
  cachedModule ??= readFile(new URL('../../wasm/cvnet.wasm', import.meta.url))
    .then((bytes) => WebAssembly.compile(bytes))
    .catch((error: unknown) => {
      cachedModule = undefined; // let a later call retry (e.g. after `npm run build:wasm`)
      throw error;
    });
  return cachedModule;
}

/** The shared engine, compiled once per process. */
export function loadEngine(): Promise<Engine> {
  cached ??= loadModule().then((module) => createEngine(module)).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
