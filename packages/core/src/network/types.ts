/**
 * The shapes every part of cvnet agrees on: networks, datasets, traingdx
 * parameters and results. The Wasm engine and the plain TypeScript reference
 * implementation both take and return exactly these.
 */

/** Transfer functions, named as in MATLAB's Neural Network Toolbox. */
export type Transfer = 'tansig' | 'logsig' | 'purelin';

/** Layer sizes and transfer functions, without weights. */
export interface NetworkShape {
  /** Number of inputs (R of the first layer). */
  readonly inputs: number;
  /** Neurons per layer, first hidden layer to output layer. */
  readonly sizes: readonly number[];
  /** Transfer function per layer, same length as `sizes`. */
  readonly transfers: readonly Transfer[];
}

/**
 * A network with its parameters. `params` holds every layer in order, each as
 * its weight matrix (S×R, row-major: weight from input j to neuron i at
 * i*R + j) followed by its biases (S). This is MATLAB's getx order per layer
 * transposed to row-major, and the order of the gradient vector.
 */
export interface Network extends NetworkShape {
  readonly params: Float64Array;
}

/** Samples in sample-major order: sample q, feature j at q*width + j. */
export interface Dataset {
  readonly samples: number;
  /** samples × inputs */
  readonly inputs: Float64Array;
  /** samples × outputs */
  readonly targets: Float64Array;
}

/** traingdx training parameters (MATLAB names in camelCase). */
export interface TraingdxParams {
  /** @default 1000 */
  epochs: number;
  /** @default 0 */
  goal: number;
  /** @default 0.01 */
  lr: number;
  /** @default 1.05 */
  lrInc: number;
  /** @default 0.7 */
  lrDec: number;
  /** @default 1.04 */
  maxPerfInc: number;
  /** @default 0.9 */
  mc: number;
  /** @default 1e-5 */
  minGrad: number;
  /** @default 6 */
  maxFail: number;
}

/** Why training stopped; checked in this order at the top of every epoch. */
export type StopReason = 'goal' | 'epochs' | 'min_grad' | 'validation' | 'cancelled';

export interface TrainingHistory {
  /** Training MSE; index 0 is the initial network. */
  perf: number[];
  /** Learning rate in force at that epoch. */
  lr: number[];
  /** Euclidean norm of the gradient. */
  gradient: number[];
  /** Validation MSE (empty without a validation set). */
  vperf: number[];
  /**
   * Test-set MSE of the same network as `perf` at that index (empty without
   * a test set): MATLAB's tr.tperf, recorded only, never used for stopping
   * or for choosing the best network.
   */
  tperf: number[];
}

export interface TrainingResult {
  /** The best network (lowest vperf with validation, else lowest perf). */
  network: Network;
  stop: StopReason;
  /** History index of the best network. */
  bestEpoch: number;
  /** Number of epochs run (= history length − 1). */
  epochs: number;
  history: TrainingHistory;
}

/** Called every `every` epochs; return `false` to cancel training. */
export interface ProgressEvent {
  epoch: number;
  perf: number;
  lr: number;
  gradient: number;
  vperf: number | undefined;
  /** Test-set MSE, when training was given a test set. */
  tperf?: number;
}
export type ProgressCallback = (event: ProgressEvent) => boolean | void;

/**
 * Arithmetic of the Wasm kernels. 'f64' is exact (transfer functions to
 * < 1 ulp; results match the reference up to floating-point reassociation);
 * 'f32' runs 4-wide SIMD with a rational tanh, about twice as fast, results
 * close to but not equal to f64. The TypeScript reference always uses f64.
 */
export type Precision = 'f64' | 'f32';

/** Options of a forward pass. */
export interface ForwardOptions {
  /** @default 'f64' */
  precision?: Precision;
}

/** Options of one training run (engine and reference alike). */
export interface TrainOptions {
  /** Overrides of the traingdx defaults. */
  params?: Partial<TraingdxParams>;
  /** Validation set for early stopping (traingdx's max_fail rule). */
  validation?: Dataset;
  /**
   * Test set, only measured: its MSE is recorded every epoch in
   * `history.tperf` (MATLAB's tr.tperf) and never affects training.
   * @default none (history.tperf is empty)
   */
  test?: Dataset;
  /** Progress listener; return `false` to cancel. */
  onProgress?: ProgressCallback;
  /**
   * Call `onProgress` every this many epochs, and once at the end.
   * @default 1 when `onProgress` is given
   */
  progressEvery?: number;
  /**
   * Kernel arithmetic (Wasm engine only; parameters and traingdx's own
   * bookkeeping stay f64 either way).
   * @default 'f64'
   */
  precision?: Precision;
}

/** Forward pass, gradient and traingdx: what the Wasm engine and the TS reference both provide. */
export interface Engine {
  /** Outputs (samples × outputs, sample-major) for inputs (samples × inputs). */
  forward(net: Network, inputs: Float64Array, samples: number, options?: ForwardOptions): Float64Array;
  /** Mean squared error and its gradient ∂perf/∂params (same layout as params). */
  perfGradient(net: Network, data: Dataset): { perf: number; gradient: Float64Array };
  /** Trains a copy of `net` with traingdx; `net` itself is not modified. */
  train(net: Network, data: Dataset, options?: TrainOptions): TrainingResult;
}
