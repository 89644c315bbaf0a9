// Shared pieces of the benchmark suite: seeded data, FLOP counts, timing.
import { Bench } from 'tinybench';
import { createPrng } from '../packages/core/dist/index.node.js';

export const quick = process.argv.includes('--quick');

/** Seeded synthetic data: inputs on [0, 1], targets a noisy logistic function of them. */
export function syntheticData(samples, inputs, seed) {
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

/**
 * Floating-point operations per sample for a shape. One training
 * sample-epoch: forward 2·MACs + S (biases), weight gradients 2·MACs, bias
 * gradients S, back-propagation 2·MACs of every layer but the first,
 * derivative scaling 2·S, output error 2·O. 14–29–1: 1 890. Scoring is the
 * forward part only (900 for 14–29–1); transfer functions are not counted.
 */
export function flopsPerSample(shape, suite) {
  let r = shape.inputs;
  let macs = 0;
  let upper = 0;
  let rows = 0;
  shape.sizes.forEach((s, l) => {
    macs += r * s;
    if (l > 0) upper += r * s;
    rows += s;
    r = s;
  });
  const forward = 2 * macs + rows;
  if (suite === 'score') return forward;
  return forward + 2 * macs + rows + 2 * upper + 2 * rows + 2 * r;
}

/**
 * Median seconds per call of `fn` (sync or async), after one warm-up call.
 * Full runs aim at ≥ 1.5 s of samples, at least 3 calls; --quick one call.
 */
export async function medianSeconds(name, fn) {
  const bench = new Bench({
    time: quick ? 0 : 1500, iterations: quick ? 1 : 3, warmupIterations: 1, warmupTime: 0, throws: true,
  });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`${name}: ${result.state} ${result.error ?? ''}`);
  return result.latency.p50 / 1000;
}

/**
 * Picks a repeat count (epochs) so one call takes about `target` seconds:
 * grows it until a call takes a quarter of that, then scales. Per-call
 * fixed costs (thread start-up, copies) stay in, as users pay them too.
 */
export async function calibrate(run, target = quick ? 0.05 : 0.5) {
  let repeats = 1;
  for (;;) {
    const t0 = performance.now();
    await run(repeats);
    const seconds = (performance.now() - t0) / 1000;
    if (seconds >= target / 4 || repeats >= 1e7) return Math.max(1, Math.round((repeats * target) / seconds));
    repeats *= 4;
  }
}
