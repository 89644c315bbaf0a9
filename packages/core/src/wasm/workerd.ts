/**
 * Cloudflare Workers (workerd) loader. Workers cannot compile Wasm from bytes
 * at run time; a module import is the only way in, and the bundler/runtime
 * turns it into a WebAssembly.Module. No Node built-ins.
 */
import wasmModule from '../../wasm/cvnet.wasm';
import type { Engine } from '../network/types.js';
import { createEngine } from './engine.js';

let cached: Promise<Engine> | undefined;

/** The shared engine, instantiated once per isolate. */
export function loadEngine(): Promise<Engine> {
  cached ??= createEngine(wasmModule).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
