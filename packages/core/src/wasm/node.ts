/** Node.js loader: reads cvnet.wasm next to the package (works from src/ and dist/). */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../network/types.js';
import { createEngine, createScorer, sharedOnce, type Scorer } from './engine.js';

/** The compiled cvnet.wasm, compiled once per process (engines and threads share it). */
export const loadModule: () => Promise<WebAssembly.Module> = sharedOnce(async () =>
  WebAssembly.compile(await readFile(new URL('../../wasm/cvnet.wasm', import.meta.url))),
);

/** The shared engine, compiled once per process. */
export const loadEngine: () => Promise<Engine> = sharedOnce(async () => createEngine(await loadModule()));

/** A scoring-only engine (no traingdx parameter check to load), compiled once per process. */
export const loadScorer: () => Promise<Scorer> = sharedOnce(async () => createScorer(await loadModule()));
