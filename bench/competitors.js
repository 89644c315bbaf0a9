// TensorFlow.js (CPU and WASM backends) and brain.js on the same network and
// data. Each is loaded lazily; a tool that can't load is reported, not fatal.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

let tfPromise;
/** TensorFlow.js with the wasm backend registered (its .wasm files loaded from node_modules). */
export function loadTf() {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    wasm.setWasmPaths(`${dir}/`);
    return tf;
  })();
  return tfPromise;
}

/** Switches TF.js to `backend` ('cpu' | 'wasm') and checks SIMD for wasm. */
export async function useTfBackend(tf, backend) {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not initialise`);
  await tf.ready();
  return backend === 'wasm' ? { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') } : {};
}

/**
 * TF.js model with the cvnet parameters (row-major S×R weights → R×S for
 * matMul): tanh hidden layer, sigmoid output, MSE, momentum optimiser,
 * one full-batch step per epoch.
 */
export function tfModel(tf, net, data) {
  const [H] = net.sizes;
  const R = net.inputs;
  const p = net.params;
  const W1 = new Float32Array(R * H);
  for (let i = 0; i < H; i++) for (let j = 0; j < R; j++) W1[j * H + i] = p[i * R + j];
  const vars = {
    W1: tf.variable(tf.tensor2d(W1, [R, H])),
    b1: tf.variable(tf.tensor1d(Float32Array.from(p.subarray(H * R, H * R + H)))),
    W2: tf.variable(tf.tensor2d(Float32Array.from(p.subarray(H * R + H, H * R + 2 * H)), [H, 1])),
    b2: tf.variable(tf.tensor1d(Float32Array.from(p.subarray(H * R + 2 * H)))),
  };
  const X = tf.tensor2d(Float32Array.from(data.inputs), [data.samples, R]);
  const T = tf.tensor2d(Float32Array.from(data.targets), [data.samples, 1]);
  const forward = (x) => tf.sigmoid(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, vars.W1), vars.b1)), vars.W2), vars.b2));
  const optimizer = tf.train.momentum(0.01, 0.9);
  return {
    train(epochs) {
      for (let e = 0; e < epochs; e++) {
        tf.tidy(() => optimizer.minimize(() => tf.losses.meanSquaredError(T, forward(X))));
      }
      return vars.b2.dataSync()[0];
    },
    predict(inputs, n) {
      // The f64 → f32 conversion is part of scoring, as cvnet's copy into Wasm is.
      return tf.tidy(() => forward(tf.tensor2d(Float32Array.from(inputs), [n, R])).dataSync());
    },
    dispose() {
      for (const v of Object.values(vars)) v.dispose();
      X.dispose();
      T.dispose();
      optimizer.dispose();
    },
  };
}

/** brain.js 1.6 (sigmoid everywhere, per-sample updates: its only mode), or an Error. */
export function brainModel(net, data) {
  let brain;
  try {
    brain = require('brain.js');
  } catch (error) {
    return error;
  }
  const R = net.inputs;
  const rows = Array.from({ length: data.samples }, (_, q) => ({
    input: Array.from(data.inputs.subarray(q * R, (q + 1) * R)),
    output: [data.targets[q]],
  }));
  const model = new brain.NeuralNetwork({ hiddenLayers: [net.sizes[0]], activation: 'sigmoid' });
  model.train(rows.slice(0, 1), { iterations: 1 }); // sizes the network
  return {
    train(epochs) {
      model.train(rows, { iterations: epochs, errorThresh: 1e-9, learningRate: 0.01, momentum: 0.9, log: false });
    },
    predict(inputs, n) {
      const out = new Float64Array(n);
      for (let q = 0; q < n; q++) out[q] = model.run(inputs.subarray(q * R, (q + 1) * R))[0];
      return out;
    },
  };
}

export const brainVersion = () => {
  try {
    return require('brain.js/package.json').version;
  } catch {
    return undefined;
  }
};
export const tfVersion = () => require('@tensorflow/tfjs/package.json').version;
export const tfWasmDir = () => join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
