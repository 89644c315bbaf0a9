/**
 * Servers for the HTTP tests: the Node server through `cvnet serve`, and the
 * worker in workerd through `wrangler dev`, both on 127.0.0.1 and free ports,
 * each from a model trained here (seeded, a few epochs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, generateSurvey, loadEngine, serializeModel, trainCustomerValue, type Model, type ProjectConfig } from '../../packages/core/src/index.node.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cliBin = join(root, 'packages/cli/bin/run.js');
export const API_TOKEN = 'test-api-token-0123456789';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The CLI and the server run from dist: fail with instructions instead of obscure errors. */
export function requireBuild(): void {
  for (const file of ['packages/cli/dist/commands/serve.js', 'packages/server/dist/node.js', 'packages/core/dist/index.node.js', 'packages/core/wasm/cvnet.wasm']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` before the server tests`);
  }
}

export interface Fixture {
  dir: string;
  modelPath: string;
  modelText: string;
  model: Model;
  /** The survey the model was trained on (548 customers, seed 1). */
  rows: Record<string, string | number>[];
  csvPath: string;
}

/**
 * A model trained on the synthetic survey, written with the survey as CSV to
 * a temp dir. `configure` may change the study's config (e.g. its rules).
 */
export async function makeFixture(epochs = 40, seed = 1, configure: (config: ProjectConfig) => ProjectConfig = (c) => c): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-server-'));
  const config = configure({ ...defaultConfig(), seed, training: { ...defaultConfig().training, epochs } });
  const rows = generateSurvey({ customers: 548, seed: 1 }) as unknown as Record<string, string | number>[];
  const { model } = trainCustomerValue(await loadEngine(), config, rows);
  const modelText = serializeModel(model);
  const modelPath = join(dir, 'model.json');
  writeFileSync(modelPath, modelText);
  const header = Object.keys(rows[0]!);
  const csvPath = join(dir, 'survey.csv');
  writeFileSync(csvPath, `${[header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n')}\n`);
  return { dir, modelPath, modelText, model, rows, csvPath };
}

/** The hash the server gives a model file's text (its hash, ETag and X-Cvnet-Model). */
export const modelHash = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop: (graceMs?: number) => Promise<number | null>;
}

/** Spawns and waits until `ready(output)` gives the base URL, or fails after `timeoutMs` with the output. */
function launch(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, ready: (output: string) => string | undefined, timeoutMs: number): Promise<Running> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 10_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1000);
      reject(new Error(`${command} ${args.join(' ')} was not ready after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = ready(output);
      if (url !== undefined) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        // Keep collecting output for failure messages.
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        resolve({ url, child, output: () => output, exited, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** `cvnet serve` on a free port; the URL comes from its "listening" log line. */
export function startNode(modelPath: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<Running> {
  return launch(
    process.execPath,
    [cliBin, 'serve', '--model', modelPath, '--port', '0', '--host', '127.0.0.1', ...extraArgs],
    { ...process.env, ...env },
    root,
    (out) => /"msg":"listening","url":"([^"]+)"/.exec(out)?.[1],
    30_000,
  );
}

const tomlString = (text: string): string => JSON.stringify(text); // JSON string escapes are valid TOML basic-string escapes

/**
 * The worker of packages/server (its own wrangler.toml, entry and bindings) in
 * workerd via `wrangler dev`, with the model in the CVNET_MODEL var. Wrangler's
 * state, logs and config stay in a temp dir; metrics and update checks are off.
 */
export async function startWorkerd(modelText: string, vars: Record<string, string>): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-workerd-'));
  const shipped = readFileSync(join(root, 'packages/server/wrangler.toml'), 'utf8');
  const main = join(root, 'packages/server/src/worker.ts');
  const config = shipped.replace(/^main = .*$/m, `main = ${tomlString(main)}`);
  const allVars = { ...vars, CVNET_MODEL: modelText };
  writeFileSync(join(dir, 'wrangler.toml'), `${config}\n[vars]\n${Object.entries(allVars).map(([k, v]) => `${k} = ${tomlString(v)}`).join('\n')}\n`);
  const [port, inspector] = [await freePort(), await freePort()];
  const running = await launch(
    process.execPath,
    [
      join(root, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--config', join(dir, 'wrangler.toml'),
      '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
      '--persist-to', join(dir, 'state'), '--log-level', 'info', '--show-interactive-dev-session=false',
    ],
    {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_LOG_PATH: join(dir, 'logs'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      CI: 'true',
      NO_COLOR: '1',
    },
    dir,
    (out) => (/Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ? `http://127.0.0.1:${port}` : undefined),
    90_000,
  );
  return {
    ...running,
    stop: async (graceMs) => {
      const code = await running.stop(graceMs);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * Sends `request` (a whole HTTP/1.1 message) on a new connection and resolves
 * with everything answered until the server closes the connection, or after
 * 5 s with it still open.
 */
export function rawRequest(url: string, request: string): Promise<{ answer: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let answer = '';
  socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
  socket.end(request);
  return new Promise((resolve) => {
    const done = (closed: boolean) => (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closed });
    };
    const timer = setTimeout(done(false), 5000);
    socket.once('close', done(true));
  });
}

/** Removes fixtures' temp dirs. */
export function removeFixtures(...fixtures: (Fixture | undefined)[]): void {
  for (const f of fixtures) if (f) rmSync(f.dir, { recursive: true, force: true });
}

/** A customer with every indicator scored `score`. */
export function customer(id: string, score = 3, indicators: readonly string[]): Record<string, string | number> {
  return { id, ...Object.fromEntries(indicators.map((i) => [i, score])) };
}
