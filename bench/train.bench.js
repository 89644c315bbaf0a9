// cvnet benchmark suite: training and scoring throughput of the Wasm core
// (f64 scalar kernels, f64 SIMD, f32 SIMD, worker threads) against the
// TypeScript reference, plain JavaScript, TensorFlow.js (CPU and WASM
// backends) and brain.js, on the study's 14–29–1 network; then the CLI
// end-to-end runs (cli.bench.js). Run after `npm run build`:
//   npm run bench [-- --quick]
// Writes bench/results.json (records), bench/RESULTS.md and bench/results.svg.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import {
  createEngine, createNetwork, defaultShape, loadModule, referenceEngine, trainThreaded,
} from '../packages/core/dist/index.node.js';
import { cliBench, writeCliMarkdown } from './cli.bench.js';
import { brainModel, brainVersion, loadTf, tfModel, tfVersion, useTfBackend } from './competitors.js';
import { calibrate, flopsPerSample, medianSeconds, quick, syntheticData } from './common.js';
import { plainForward, plainTrainer } from './plain.js';
import { writeReport } from './report.js';

const shape = defaultShape(14);
const net = createNetwork(shape, { seed: 1 });
const H = shape.sizes[0];
const sizes = quick ? [274, 20_000] : [274, 100_000];
const scoreN = quick ? 20_000 : 1_000_000;
const loadAtStart = os.loadavg()[0];
const module = await loadModule();
const simd = await createEngine(module);
const scalar = await createEngine(module, { kernels: 'scalar' });
const records = [];
const notes = [];

function record(suite, tool, n, threads, precision, value, unit) {
  records.push({ suite, tool, n, threads, precision, value, unit });
  console.log(`${suite.padEnd(5)} ${tool.padEnd(24)} n=${String(n).padEnd(8)} ${(value / 1e6).toFixed(3)} M ${unit}`);
}

/** Times run(epochs) and records sample-epochs per second. */
async function trainCase(tool, n, threads, precision, run, target) {
  const epochs = await calibrate(run, target);
  const seconds = await medianSeconds(`${tool} n=${n}`, () => run(epochs));
  record('train', tool, n, threads, precision, (n * epochs) / seconds, 'sample-epochs/s');
}

// Every cvnet run trains exactly `epochs` epochs (goal 0, minGrad 0); a
// traingdx epoch whose trial step is rejected costs a forward pass only.
// Threaded runs start their workers on every call (~0.1 s); they are timed on
// runs of about 4 s, still shorter than the study's default 1000 epochs at
// N = 100 000 (~20 s), so start-up weighs as it would in a real training run.
const threadRunSeconds = quick ? undefined : 4;
const exact = (epochs, precision) => ({ precision, params: { epochs, goal: 0, minGrad: 0 } });

for (const n of sizes) {
  const data = syntheticData(n, 14, 2);
  await trainCase('cvnet-wasm-f64-scalar', n, 1, 'f64', (e) => scalar.train(net, data, exact(e, 'f64')));
  await trainCase('cvnet-wasm-f64-simd', n, 1, 'f64', (e) => simd.train(net, data, exact(e, 'f64')));
  await trainCase('cvnet-wasm-f32-simd', n, 1, 'f32', (e) => simd.train(net, data, exact(e, 'f32')));
  for (const threads of [1, 2]) {
    await trainCase(`cvnet-threads-f64`, n, threads, 'f64', (e) => trainThreaded(net, data, { ...exact(e, 'f64'), threads }), threadRunSeconds);
  }
  await trainCase('cvnet-threads-f32', n, 2, 'f32', (e) => trainThreaded(net, data, { ...exact(e, 'f32'), threads: 2 }), threadRunSeconds);
  await trainCase('js-reference', n, 1, 'f64', (e) => referenceEngine.train(net, data, exact(e, 'f64')));
  const plain = plainTrainer(net.params, 14, H, data);
  await trainCase('js-plain', n, 1, 'f64', (e) => plain(e));

  const tf = await loadTf();
  for (const backend of ['cpu', 'wasm']) {
    const info = await useTfBackend(tf, backend);
    if (backend === 'wasm' && n === sizes[0]) notes.push(`TF.js ${tfVersion()} WASM backend: SIMD ${info.simd ? 'on' : 'OFF'}, no threads under Node.`);
    const model = tfModel(tf, net, data);
    await trainCase(`tfjs-${backend}`, n, 1, 'f32', (e) => model.train(e));
    model.dispose();
  }
  const brain = brainModel(net, data);
  if (brain instanceof Error) {
    if (n === sizes[0]) notes.push(`brain.js skipped: ${brain.message}`);
  } else {
    await trainCase('brain.js', n, 1, 'f64', (e) => brain.train(e));
  }
}
notes.push('cvnet-threads-* runs include starting the worker threads and copying each slice into them on every call (what a user pays per training run), timed on runs of about 4 s (a real 1000-epoch run at n = 100 000 takes ~20 s); at n = 274 that start-up dominates, threads pay off only for large training sets.');
notes.push(`brain.js ${brainVersion() ?? '(not installed)'} updates weights after every sample (no full-batch mode); TF.js computes in f32.`);

// Scoring: forward passes only, customers per second, inputs already in memory.
{
  const data = syntheticData(scoreN, 14, 3);
  const scoreCase = async (tool, precision, fn) => {
    const seconds = await medianSeconds(`score ${tool}`, fn);
    record('score', tool, scoreN, 1, precision, scoreN / seconds, 'customers/s');
  };
  await scoreCase('cvnet-wasm-f64-scalar', 'f64', () => scalar.forward(net, data.inputs, scoreN));
  await scoreCase('cvnet-wasm-f64-simd', 'f64', () => simd.forward(net, data.inputs, scoreN));
  await scoreCase('cvnet-wasm-f32-simd', 'f32', () => simd.forward(net, data.inputs, scoreN, { precision: 'f32' }));
  const p = net.params;
  await scoreCase('js-plain', 'f64', () =>
    plainForward(p.subarray(0, 14 * H), p.subarray(14 * H, 15 * H), p.subarray(15 * H, 16 * H), p.subarray(16 * H), 14, H, data.inputs, scoreN));
  const tf = await loadTf();
  for (const backend of ['cpu', 'wasm']) {
    await useTfBackend(tf, backend);
    const model = tfModel(tf, net, { samples: 1, inputs: data.inputs.subarray(0, 14), targets: data.targets.subarray(0, 1) });
    await scoreCase(`tfjs-${backend}`, 'f32', () => model.predict(data.inputs, scoreN));
    model.dispose();
  }
  const brain = brainModel(net, { samples: 1, inputs: data.inputs.subarray(0, 14), targets: data.targets.subarray(0, 1) });
  if (!(brain instanceof Error)) await scoreCase('brain.js', 'f64', () => brain.predict(data.inputs, scoreN));
}

const cli = await cliBench({ quick });
records.push(...cli.records);
notes.push(...cli.notes);
if (!quick && cli.records.length > 0) writeCliMarkdown(cli.records, cli.notes);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  node: process.version,
  v8: process.versions.v8,
  quick,
  load: [loadAtStart, os.loadavg()[0]],
  date: new Date().toISOString(),
  wasmBytes: (await readFile(new URL('../packages/core/wasm/cvnet.wasm', import.meta.url))).byteLength,
};
await writeReport({ records, notes, machine, flops: { train: flopsPerSample(shape, 'train'), score: flopsPerSample(shape, 'score') } });
