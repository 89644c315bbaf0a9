/**
 * The plain TypeScript reference: forward pass, mean-squared-error gradient
 * and traingdx written as directly as possible, one sample at a time. It is
 * the independent yardstick for the Wasm engine in tests and benchmarks and
 * shares none of its structure (no batching, no workspace reuse: every
 * accepted step simply recomputes perf and gradient from scratch).
 */
import { resolveProgressEvery, validateDataset, validateMatrix, validateNetwork } from './options.js';
import { resolveTraingdxParams } from './traingdx-params.js';
import { transferDerivative, transferValue } from './transfer.js';
import type {
  Dataset, Engine, Network, StopReason, TrainingHistory, TrainingResult, TrainOptions, Transfer,
} from './types.js';

interface Layer {
  r: number;
  s: number;
  transfer: Transfer;
  /** Index of W(i, j) in params is w + i*r + j; of b(i), b + i. */
  w: number;
  b: number;
}

function layersOf(net: Network): Layer[] {
  const layers: Layer[] = [];
  let r = net.inputs;
  let offset = 0;
  net.sizes.forEach((s, l) => {
    layers.push({ r, s, transfer: net.transfers[l]!, w: offset, b: offset + s * r });
    offset += s * r + s;
    r = s;
  });
  return layers;
}

/** Outputs of every layer for one input vector (index 0 = the input itself). */
function activations(layers: Layer[], params: Float64Array, input: Float64Array): Float64Array[] {
  const outs = [input];
  let a = input;
  for (const layer of layers) {
    const next = new Float64Array(layer.s);
    for (let i = 0; i < layer.s; i++) {
      let n = params[layer.b + i]!;
      for (let j = 0; j < layer.r; j++) n += params[layer.w + i * layer.r + j]! * a[j]!;
      next[i] = transferValue(layer.transfer, n);
    }
    outs.push(next);
    a = next;
  }
  return outs;
}

function predict(net: Network, params: Float64Array, inputs: Float64Array, samples: number): Float64Array {
  const layers = layersOf(net);
  const outputs = layers[layers.length - 1]!.s;
  const result = new Float64Array(samples * outputs);
  for (let q = 0; q < samples; q++) {
    const outs = activations(layers, params, inputs.subarray(q * net.inputs, (q + 1) * net.inputs));
    result.set(outs[outs.length - 1]!, q * outputs);
  }
  return result;
}

export function referenceForward(net: Network, inputs: Float64Array, samples: number): Float64Array {
  validateNetwork(net);
  validateMatrix(inputs, samples, net.inputs, 'inputs');
  return predict(net, net.params, inputs, samples);
}

/** perf = Σe²/M over all outputs and samples, and ∂perf/∂params. */
function mseAndGradient(net: Network, params: Float64Array, data: Dataset): { perf: number; gradient: Float64Array } {
  const layers = layersOf(net);
  const outputs = layers[layers.length - 1]!.s;
  const M = outputs * data.samples;
  const gradient = new Float64Array(params.length);
  let sse = 0;
  for (let q = 0; q < data.samples; q++) {
    const outs = activations(layers, params, data.inputs.subarray(q * net.inputs, (q + 1) * net.inputs));
    const y = outs[outs.length - 1]!;
    // delta = ∂perf/∂(net input) of the output layer: −2(t − y)/M · f'(y)
    let delta = new Float64Array(outputs);
    for (let k = 0; k < outputs; k++) {
      const e = data.targets[q * outputs + k]! - y[k]!;
      sse += e * e;
      delta[k] = ((-2 * e) / M) * transferDerivative(layers[layers.length - 1]!.transfer, y[k]!);
    }
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l]!;
      const a = outs[l]!;
      for (let i = 0; i < layer.s; i++) {
        for (let j = 0; j < layer.r; j++) gradient[layer.w + i * layer.r + j]! += delta[i]! * a[j]!;
        gradient[layer.b + i]! += delta[i]!;
      }
      if (l > 0) {
        const below = layers[l - 1]!;
        const prev = new Float64Array(layer.r);
        for (let j = 0; j < layer.r; j++) {
          let sum = 0;
          for (let i = 0; i < layer.s; i++) sum += params[layer.w + i * layer.r + j]! * delta[i]!;
          prev[j] = sum * transferDerivative(below.transfer, a[j]!);
        }
        delta = prev;
      }
    }
  }
  return { perf: sse / M, gradient };
}

function mse(net: Network, params: Float64Array, data: Dataset): number {
  const predicted = predict(net, params, data.inputs, data.samples);
  let sse = 0;
  for (let k = 0; k < predicted.length; k++) sse += (data.targets[k]! - predicted[k]!) ** 2;
  return sse / predicted.length;
}

export function referencePerfGradient(net: Network, data: Dataset): { perf: number; gradient: Float64Array } {
  validateNetwork(net);
  validateDataset(data, net);
  return mseAndGradient(net, net.params, data);
}

const norm = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** traingdx as MATLAB runs it; see assembly/traingdx.ts for the rules. */
export function referenceTrain(net: Network, data: Dataset, options: TrainOptions = {}): TrainingResult {
  validateNetwork(net);
  validateDataset(data, net);
  const p = resolveTraingdxParams(options.params);
  const validation = options.validation;
  if (validation) validateDataset(validation, net, 'validation');
  const test = options.test;
  if (test) validateDataset(test, net, 'test');
  const every = resolveProgressEvery(options.progressEvery, options.onProgress !== undefined);

  let X = Float64Array.from(net.params);
  let { perf, gradient } = mseAndGradient(net, X, data);
  let g = gradient.map((v) => -v);
  let lr = p.lr;
  let dX = g.map((v) => lr * v);
  let best = X;
  let bestPerf = perf;
  let vperf = validation ? mse(net, X, validation) : NaN;
  let bestVperf = vperf;
  let bestEpoch = 0;
  let valFail = 0;
  const history: TrainingHistory = { perf: [], lr: [], gradient: [], vperf: [], tperf: [] };
  let stop: StopReason | undefined;
  let epoch = 0;

  for (;;) {
    const gradNorm = norm(g);
    if (perf <= p.goal) stop = 'goal';
    else if (epoch === p.epochs) stop = 'epochs';
    else if (gradNorm <= p.minGrad) stop = 'min_grad';
    else if (validation && valFail >= p.maxFail) stop = 'validation';

    history.perf.push(perf);
    history.lr.push(lr);
    history.gradient.push(gradNorm);
    if (validation) history.vperf.push(vperf);
    // Measured afresh at the current network every epoch, used for nothing else.
    const tperf = test ? mse(net, X, test) : undefined;
    if (tperf !== undefined) history.tperf.push(tperf);
    if (options.onProgress && every > 0 && (stop !== undefined || epoch % every === 0)) {
      const goOn = options.onProgress({
        epoch, perf, lr, gradient: gradNorm, vperf: validation ? vperf : undefined, ...(tperf === undefined ? {} : { tperf }),
      });
      if (goOn === false && stop === undefined) stop = 'cancelled';
    }
    if (stop !== undefined) break;

    dX = dX.map((d, k) => p.mc * d + (1 - p.mc) * lr * g[k]!);
    const X2 = X.map((x, k) => x + dX[k]!);
    const perf2 = mse(net, X2, data);
    if (perf2 / perf > p.maxPerfInc) {
      lr *= p.lrDec;
      dX = g.map((v) => lr * v);
    } else {
      if (perf2 < perf) lr *= p.lrInc;
      X = X2;
      ({ perf, gradient } = mseAndGradient(net, X, data));
      g = gradient.map((v) => -v);
    }

    if (validation) {
      vperf = mse(net, X, validation);
      if (vperf < bestVperf) {
        best = X;
        bestVperf = vperf;
        bestEpoch = epoch + 1;
        valFail = 0;
      } else if (vperf > bestVperf) {
        valFail++;
      }
    } else if (perf < bestPerf) {
      best = X;
      bestPerf = perf;
      bestEpoch = epoch + 1;
    }
    epoch++;
  }

  return {
    network: { inputs: net.inputs, sizes: [...net.sizes], transfers: [...net.transfers], params: Float64Array.from(best) },
    stop,
    bestEpoch,
    epochs: epoch,
    history,
  };
}

/** The reference as an Engine, interchangeable with the Wasm one. */
export const referenceEngine: Engine = {
  forward: referenceForward,
  perfGradient: referencePerfGradient,
  train: referenceTrain,
};
