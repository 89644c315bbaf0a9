// HTTP load benchmark of the Node scoring server (`cvnet serve`) with
// autocannon: single-customer requests and 1 000-customer batches, 100
// connections for 10 s each, beside a Hono "hello" route on
// @hono/node-server measured in the same run (the framework's own ceiling).
// Everything runs on 127.0.0.1; the servers are child processes, so the load
// generator (this process) and the server each get their own event loop.
//   npm run build && npm run bench:http [-- --quick]
// Full runs merge the "http" records into bench/results.json and write
// bench/RESULTS-http.md; --quick (2 s per case) only prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  defaultConfig, generateSurvey, loadEngine, serializeModel, trainCustomerValue,
} from '../packages/core/dist/index.node.js';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('..', import.meta.url));
const DURATION = quick ? 2 : 10;
const CONNECTIONS = 100;
const BATCH = 1000;
/**
 * Seconds before autocannon gives up on a response (its default is 10). A
 * 1 000-customer batch answers in ~0.5 s at the median, but with 100 batches
 * in flight on two shared cores the slowest wait longer than 10 s; every
 * timeout still counts as an error.
 */
const TIMEOUT = 30;

for (const file of ['packages/cli/dist/commands/serve.js', 'packages/server/dist/node.js', 'packages/core/wasm/cvnet.wasm']) {
  if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Spawns a server (stdout discarded: the request logs are part of the cost, not of the output) and waits for `probe`. */
async function launch(args, cwd, probe) {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(probe)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not answer ${probe} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One autocannon run. Errors are autocannon's (connection errors, timeouts
 * included) plus non-2xx answers.
 */
async function measure(name, options, customersPerRequest) {
  const settings = { ...options, connections: CONNECTIONS, timeout: TIMEOUT };
  if (!quick) await autocannon({ ...settings, duration: 1 }); // warm-up: JIT, sockets
  const r = await autocannon({ ...settings, duration: DURATION });
  const errors = r.errors + r.non2xx;
  if (errors > 0) console.error(`${name}: ${r.errors} errors (${r.timeouts} timeouts), ${r.non2xx} non-2xx answers`);
  const rps = r.requests.total / r.duration;
  const result = {
    name, customersPerRequest, rps, cps: rps * customersPerRequest, p50: r.latency.p50, p99: r.latency.p99, errors, total: r.requests.total,
  };
  console.log(
    `${name.padEnd(22)} ${rps.toFixed(0).padStart(8)} req/s ${(result.cps).toFixed(0).padStart(9)} customers/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${errors} (of ${r.requests.total})`,
  );
  return result;
}

// A model trained here, like the tests': the study's system on the seeded survey.
const dir = mkdtempSync(join(os.tmpdir(), 'cvnet-http-bench-'));
const rows = generateSurvey({ customers: 548, seed: 1 });
const config = { ...defaultConfig(), training: { ...defaultConfig().training, epochs: 200 } };
const modelPath = join(dir, 'model.json');
writeFileSync(modelPath, serializeModel(trainCustomerValue(await loadEngine(), config, rows).model));
const batch = Array.from({ length: BATCH }, (_, i) => ({ ...rows[i % rows.length], id: `c${i}` }));

const results = [];
try {
  const helloPort = await freePort();
  const helloScript = `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
const app = new Hono(); app.get('/hello', (c) => c.text('hello'));
serve({ fetch: app.fetch, port: ${helloPort}, hostname: '127.0.0.1' });`;
  const hello = await launch(['--input-type=module', '-e', helloScript], join(root, 'packages/server'), `http://127.0.0.1:${helloPort}/hello`);
  try {
    results.push(await measure('hono-hello', { url: `http://127.0.0.1:${helloPort}/hello` }, 0));
  } finally {
    await stop(hello);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await launch([join(root, 'packages/cli/bin/run.js'), 'serve', '--model', modelPath, '--port', String(port)], root, `${url}/readyz`);
  try {
    const post = (body) => ({ url: `${url}/v1/score`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    results.push(await measure('cvnet-node-single', post(rows[0]), 1));
    results.push(await measure('cvnet-node-batch1000', post(batch), BATCH));
  } finally {
    await stop(server);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const failed = results.filter((r) => r.errors > 0);
if (failed.length > 0) {
  console.error(`errors in ${failed.map((r) => r.name).join(', ')}: the bar is zero`);
  process.exitCode = 1;
}

if (!quick) {
  const path = join(root, 'bench/results.json');
  const previous = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : [];
  const records = results.flatMap((r) => [
    { suite: 'http', tool: r.name, n: Math.max(r.customersPerRequest, 1), threads: 1, precision: 'f64', value: r.rps, unit: 'requests/s' },
    ...(r.customersPerRequest > 0 ? [{ suite: 'http', tool: r.name, n: r.customersPerRequest, threads: 1, precision: 'f64', value: r.cps, unit: 'customers/s' }] : []),
  ]);
  const merged = [...previous.filter((rec) => rec.suite !== 'http'), ...records];
  writeFileSync(`${path}.tmp`, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);

  const table = results.map(
    (r) => `| ${r.name} | ${r.customersPerRequest || '—'} | ${r.rps.toFixed(0)} | ${r.customersPerRequest ? r.cps.toFixed(0) : '—'} | ${r.p50} | ${r.p99} | ${r.errors} / ${r.total} |`,
  );
  const md = `# HTTP benchmark (\`npm run bench:http\`)

\`cvnet serve\` (Node ${process.version}, @hono/node-server) on 127.0.0.1, loaded by autocannon with ${CONNECTIONS} connections for ${DURATION} s per case
(after a 1 s warm-up; response timeout ${TIMEOUT} s), JSON bodies, request logging on (to /dev/null). The Hono "hello" route on @hono/node-server, measured in the
same run, is the framework's ceiling on this machine. Server and load generator share ${os.cpus().length} CPU cores
(${os.cpus()[0]?.model ?? 'unknown CPU'}; load average ${os.loadavg()[0].toFixed(2)} at the end), so the figures are a floor, not a capacity plan.

| case | customers/request | requests/s | customers/s | p50 latency (ms) | p99 latency (ms) | errors / requests |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${table.join('\n')}

Errors count connection errors, timeouts and non-2xx answers; the bar is zero.
The model: the study's 14–29–1 network trained on the synthetic survey (548 customers, seed 1); batches repeat its customers with new ids.
`;
  writeFileSync(join(root, 'bench/RESULTS-http.md'), md);
  console.log('wrote bench/results.json (suite "http") and bench/RESULTS-http.md');
}
