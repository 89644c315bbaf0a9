/**
 * The Node entry: the engine from @cvnet/core's Node loader, the model from a
 * file (optionally watched), served by @hono/node-server, closed gracefully.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { BUILTIN_SEGMENTS, ConfigError, loadEngine, OptionsError, type Engine } from '@cvnet/core';
import { readModelJson } from '@cvnet/core/data';
import { createApp, type AppOptions } from './app.js';
import { jsonLogger, type Logger } from './log.js';
import { loadModelState, ModelStore, type ModelState } from './model-state.js';
import { segmentsSetting, type SegmentsSetting } from './segments.js';
import { watchFile } from './watch.js';

export interface NodeServerOptions extends Pick<AppOptions, 'maxCustomers' | 'bodyLimit' | 'apiToken' | 'adminToken'> {
  /** Model file written by `cvnet train` from a project config. */
  modelPath: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Reload the model when its file changes (a bad file is logged and the old model kept). @default false */
  watch?: boolean;
  /** How long close() lets requests in flight finish before cutting their connections. @default 10000 */
  drainMs?: number;
  /** Segment map: a shipped map's name (value17, rfm) or a JSON/JSONC map file. @default value17 when the model's indicators allow it, else rfm, else none */
  segments?: string;
  /** @default JSON lines on stdout */
  log?: Logger;
}

export interface NodeServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  store: ModelStore;
  /** Stops accepting connections, lets requests in flight finish (up to drainMs), then resolves. */
  close(): Promise<void>;
}

/**
 * The segment setting of `--segments`: a shipped map's name, or a map file.
 *
 * @throws ConfigError for a missing file or an invalid map (not a partition included).
 */
export async function readSegmentsSetting(choice: string): Promise<SegmentsSetting> {
  if (Object.hasOwn(BUILTIN_SEGMENTS, choice)) return segmentsSetting(choice, choice);
  const text = await readFile(choice, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(error.code === 'ENOENT' ? `${choice}: segment map not found (shipped maps: ${Object.keys(BUILTIN_SEGMENTS).join(', ')})` : `${choice}: cannot read (${error.message})`);
  });
  return segmentsSetting(text, choice);
}

/**
 * Reads and checks a model file.
 *
 * @throws ModelError (ModelRejected for a file that is a model but fails its checks).
 */
export async function readModelState(engine: Engine, path: string, segments?: SegmentsSetting): Promise<ModelState> {
  return loadModelState(engine, await readModelJson(path), path, segments === undefined ? {} : { segments });
}

/** Reloads on change, one reload at a time; the last change always gets a reload. */
function reloader(engine: Engine, path: string, segments: SegmentsSetting | undefined, store: ModelStore, log: Logger): () => void {
  let running: Promise<void> | undefined;
  let again = false;
  const reload = async (): Promise<void> => {
    try {
      const state = await readModelState(engine, path, segments);
      if (state.hash === store.current?.hash) return;
      const previous = store.current?.hash;
      store.replace(state);
      log({ level: 'info', msg: 'model replaced', source: path, model: state.hash, previous });
    } catch (error) {
      log({ level: 'error', msg: 'model not replaced; still serving the previous one', source: path, error: (error as Error).message });
    }
  };
  return () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await reload();
      } while (again);
      running = undefined;
    })();
  };
}

/** `host:port`, with an IPv6 address in brackets. */
const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Why listening failed, for the errors the user fixes by choosing another address. */
const LISTEN_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s',
  ENOTFOUND: 'the host name does not resolve',
};

/** A listen error as a one-line OptionsError naming the address, when it is one of those; else as it is. */
function listenError(error: NodeJS.ErrnoException, address: string): Error {
  const problem = error.code === undefined ? undefined : LISTEN_PROBLEMS[error.code];
  return problem === undefined ? error : new OptionsError(`cannot listen on ${address}: ${problem} (${error.code})`);
}

/**
 * Loads the engine and the model, then listens.
 *
 * @throws ModelError for an unusable model file, ConfigError for a bad
 *   segment map (both before listening), OptionsError for an address it
 *   cannot listen on (in use, not local, privileged); the listen error otherwise.
 */
export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const segments = options.segments === undefined ? undefined : await readSegmentsSetting(options.segments);
  const engine = await loadEngine();
  const store = new ModelStore(await readModelState(engine, options.modelPath, segments));
  const log = options.log ?? jsonLogger((line) => process.stdout.write(`${line}\n`));
  const app = createApp({
    engine, store, log,
    ...(options.maxCustomers === undefined ? {} : { maxCustomers: options.maxCustomers }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
    ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
    ...(segments === undefined ? {} : { segments }),
  });
  const host = options.host ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, hostPort(host, options.port ?? 8080))));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostPort(host, port)}`;
  const stopWatching = options.watch ? watchFile(options.modelPath, reloader(engine, options.modelPath, segments, store, log)) : undefined;

  const drainMs = options.drainMs ?? 10_000;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      stopWatching?.();
      // close() stops accepting and drops the keep-alive sockets idle right now; a
      // socket busy with a request turns idle after its response, so keep sweeping.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => server.closeAllConnections(), drainMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(timer);
        resolve();
      });
    }));
  return { url, store, close };
}
