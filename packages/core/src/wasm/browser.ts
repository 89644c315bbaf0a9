/** Browser loader: fetches cvnet.wasm relative to this module. No Node built-ins. */
import { EngineError } from '../errors.js';
import type { Engine } from '../network/types.js';
import { createEngine, sharedOnce } from './engine.js';

async function compile(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new EngineError(`could not fetch ${url.href}: HTTP ${response.status}`);
  try {
    // Streaming needs the server to send application/wasm; keep a copy of the body for the fallback.
    return await WebAssembly.compileStreaming(response.clone());
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/** The shared engine, compiled once per page/worker. */
export const loadEngine: () => Promise<Engine> = sharedOnce(async () =>
  createEngine(await compile(new URL('../../wasm/cvnet.wasm', import.meta.url))),
);
