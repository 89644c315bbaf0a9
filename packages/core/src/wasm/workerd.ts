/**
 * Cloudflare Workers (workerd) loader. Workers cannot compile Wasm from bytes
 * at run time; a module import is the only way in, and the bundler/runtime
 * turns it into a WebAssembly.Module. No Node built-ins.
 */
import wasmModule from '../../wasm/cvnet.wasm';
import type { Engine } from '../network/types.js';
import { createEngine, sharedOnce } from './engine.js';

/** The shared engine, instantiated once per isolate. */
export const loadEngine: () => Promise<Engine> = sharedOnce(() => createEngine(wasmModule));
