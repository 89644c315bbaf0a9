/**
 * The Cloudflare Workers (workerd) entry. The Wasm engine comes in as a module
 * import (Workers cannot compile Wasm from bytes at run time); the model from
 * the CVNET_MODEL binding (a JSON text or object var) or bundled by a
 * three-line entry of your own: `export default createWorker({ model })`.
 */
import wasmModule from '@cvnet/core/wasm/cvnet.wasm';
import { createEngine } from '@cvnet/core';
import { createApp } from './app.js';
import { tokensFromEnv } from './auth.js';
import { jsonLogger, type Logger } from './log.js';
import { loadModelState, ModelStore } from './model-state.js';
import { segmentsSetting, type SegmentsSetting } from './segments.js';

/** Bindings the worker reads (wrangler.toml [vars], secrets). */
export interface WorkerEnv {
  /** The model file's JSON, as text or as an object. */
  CVNET_MODEL?: unknown;
  CVNET_API_TOKEN?: string;
  CVNET_ADMIN_TOKEN?: string;
  /** @default 10000 */
  CVNET_MAX_CUSTOMERS?: string;
  /** In bytes. @default 16 MiB */
  CVNET_BODY_LIMIT?: string;
  /** Segment map: a shipped map's name (value17, rfm), or a map as JSON text or a JSON object var. @default value17 when the model's indicators allow it, else rfm, else none */
  CVNET_SEGMENTS?: unknown;
}

export interface WorkerOptions {
  /** A bundled model (parsed JSON); takes precedence over the CVNET_MODEL binding. */
  model?: unknown;
}

type Fetch = (request: Request) => Response | Promise<Response>;

const positive = (text: string | undefined): number | undefined => {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};

async function build(options: WorkerOptions, env: WorkerEnv, log: Logger): Promise<Fetch> {
  const engine = await createEngine(wasmModule);
  const store = new ModelStore();
  const source = options.model === undefined ? 'CVNET_MODEL binding' : 'bundled model';
  const raw = options.model ?? env.CVNET_MODEL;
  // A bad map leaves the worker not ready, like a bad model (/readyz says why).
  const mapConfigured = env.CVNET_SEGMENTS !== undefined && env.CVNET_SEGMENTS !== '';
  let segments: SegmentsSetting | undefined;
  // A token that can never match would lock every client out: the worker stays not ready, saying why.
  const tokens = tokensFromEnv(env);
  const usable = tokens.problems.length === 0;
  try {
    if (!usable) throw new Error(tokens.problems.join('; '));
    if (mapConfigured) segments = segmentsSetting(env.CVNET_SEGMENTS, 'CVNET_SEGMENTS binding');
    if (raw === undefined) store.fail('no model: set the CVNET_MODEL binding or bundle a model with createWorker({ model })');
    else store.replace(await loadModelState(engine, typeof raw === 'string' ? JSON.parse(raw.replace(/^\uFEFF/, '')) : raw, source, segments === undefined ? {} : { segments }));
  } catch (error) {
    const message = error instanceof SyntaxError ? `${source}: not valid JSON` : (error as Error).message;
    store.fail(message);
    log({ level: 'error', msg: 'no model loaded', error: message });
  }
  const maxCustomers = positive(env.CVNET_MAX_CUSTOMERS);
  const bodyLimit = positive(env.CVNET_BODY_LIMIT);
  const app = createApp({
    engine, store, log,
    ...(maxCustomers === undefined ? {} : { maxCustomers }),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    // With a token problem no model is ever loaded (and PUT is off below), so every request meets the not-ready 503.
    ...(tokens.apiToken !== undefined && usable ? { apiToken: tokens.apiToken } : {}),
    // Without its configured map, PUT /v1/model would serve models with another map: keep it off.
    ...(tokens.adminToken !== undefined && usable && (segments !== undefined || !mapConfigured) ? { adminToken: tokens.adminToken } : {}),
    ...(segments === undefined ? {} : { segments }),
  });
  return (request) => app.fetch(request);
}

/**
 * A Workers handler. The app is built on the first request of an isolate
 * (bindings arrive with requests); a model replaced with PUT /v1/model lives
 * in that isolate only.
 */
export function createWorker(options: WorkerOptions = {}): { fetch(request: Request, env: WorkerEnv): Promise<Response> } {
  const log = jsonLogger((line) => console.log(line));
  let app: Promise<Fetch> | undefined;
  return {
    async fetch(request, env) {
      app ??= build(options, env, log).catch((error: unknown) => {
        app = undefined;
        throw error;
      });
      return (await app)(request);
    },
  };
}

export default createWorker();
