// traingdx training throughput, Wasm core vs the TypeScript reference, on the
// study's 14–29–1 network. Run after `npm run build`:
//   node bench/train.bench.js [--quick]
// Prints a table and writes bench/results.json (sample-epochs per second:
// samples × epochs trained per wall-clock second, single thread, float64).
import { rename, writeFile } from 'node:fs/promises';
import { Bench } from 'tinybench';
import { createNetwork, createPrng, defaultShape, referenceEngine } from '../packages/core/dist/index.node.js';
import { loadEngine } from '../packages/core/dist/index.node.js';

const quick = process.argv.includes('--quick');

/** Seeded synthetic data: inputs on [0, 1], targets a noisy logistic function of them. */
function syntheticData(samples, inputs, seed) {
  const rng = createPrng(seed);
  const weights = Array.from({ length: inputs }, () => rng.uniform(-2, 2));
  const x = new Float64Array(samples * inputs);
  const t = new Float64Array(samples);
  for (let q = 0; q < samples; q++) {
    let n = 0;
    for (let j = 0; j < inputs; j++) {
      const v = rng.next();
      x[q * inputs + j] = v;
      n += weights[j] * (v - 0.5);
    }
    t[q] = Math.min(1, Math.max(0, 1 / (1 + Math.exp(-n)) + rng.uniform(-0.05, 0.05)));
  }
  return { samples, inputs: x, targets: t };
}

// Epochs per timed run: enough to dominate setup, few for the big set.
const cases = [
  { n: 274, epochs: { wasm: quick ? 200 : 1000, js: quick ? 20 : 100 } },
  { n: 100_000, epochs: { wasm: quick ? 2 : 10, js: 1 } },
];

const engine = await loadEngine();
const shape = defaultShape(14);
const net = createNetwork(shape, { seed: 1 });
const results = [];
const rows = [];

for (const { n, epochs } of cases) {
  const data = syntheticData(n, 14, 2);
  for (const [tool, impl, e] of [
    ['cvnet-wasm-f64', engine, epochs.wasm],
    ['js-reference', referenceEngine, epochs.js],
  ]) {
    // minGrad 0 and goal 0: every run trains exactly `e` epochs.
    const options = { params: { epochs: e, minGrad: 0, goal: 0 } };
    const bench = new Bench({ time: quick ? 100 : 2000, iterations: quick ? 1 : 3, warmupIterations: 1, warmupTime: 0 });
    let ran = 0;
    bench.add(`${tool} n=${n}`, () => {
      ran = impl.train(net, data, options).epochs;
    });
    await bench.run();
    const task = bench.tasks[0];
    if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ''}`);
    const seconds = task.result.latency.mean / 1000;
    const value = (n * ran) / seconds;
    results.push({ suite: 'train', tool, n, threads: 1, precision: 'f64', value, unit: 'sample-epochs/s' });
    rows.push({ tool, n, epochs: ran, 'ms/run': +(seconds * 1000).toFixed(1), 'sample-epochs/s': Math.round(value), runs: task.result.latency.samplesCount ?? task.runs });
  }
}

console.table(rows);
for (const n of [...new Set(results.map((r) => r.n))]) {
  const [w, js] = ['cvnet-wasm-f64', 'js-reference'].map((t) => results.find((r) => r.n === n && r.tool === t).value);
  console.log(`n=${n}: Wasm ${(w / js).toFixed(1)}× the TS reference`);
}
const out = new URL('./results.json', import.meta.url);
const tmp = new URL(`./results.json.${process.pid}.tmp`, import.meta.url);
await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
await rename(tmp, out);
console.log(`wrote ${out.pathname}`);
