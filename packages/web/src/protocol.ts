/**
 * Messages between the page and the training worker. Only plain data crosses
 * (structured clone): the page never imports @cvnet/core, so the Wasm, zod and
 * the CSV parser load in the worker chunk only and the page stays responsive.
 */

/** A file the user picked (read in the worker, so the page never holds its text). */
export interface InputFile {
  name: string;
  blob: Blob;
}

/** A file the worker produced, for download. */
export interface TextFile {
  name: string;
  text: string;
}

export type Request =
  | {
      type: 'train';
      data: InputFile;
      /** A project config (JSON/JSONC); absent → the bundled default system. */
      config?: InputFile;
      /** Overrides the config's seed when given. */
      seed?: number;
      /**
       * One Int32 set to 1 by the page to cancel. Only when the page is
       * cross-origin isolated; otherwise the page terminates the worker.
       */
      cancel?: SharedArrayBuffer;
    }
  | { type: 'score'; data: InputFile; model: InputFile }
  | { type: 'demo'; customers: number; seed: number }
  /** Explain customer `index` (position in the last result's `customers`). */
  | { type: 'explain'; index: number };

export interface Customer {
  id: string;
  C: number;
  band: number;
  K: number;
  class: 'A' | 'B' | 'C' | 'D';
  strategy: string;
}

export interface Training {
  /** MSE per epoch on the training part; index 0 is the initial network. */
  perf: number[];
  epochs: number;
  bestEpoch: number;
  stop: string;
  network: string;
  sample: { size: number; train: number; test: number };
  /** On the test part of the sample. */
  evaluation: { n: number; mse: number; accuracy: number };
}

export interface Result {
  type: 'result';
  mode: 'train' | 'score';
  customers: Customer[];
  thresholds: { A: number; B: number; C: number };
  strategies: { A: string; B: string; C: string; D: string };
  /** The classified customers as CSV (what `cvnet classify` writes). */
  csv: string;
  model: TextFile;
  training?: Training;
  warnings: string[];
}

/** A problem with one of the user's files, located as precisely as we know. */
export interface Failure {
  type: 'error';
  /** Which input: data, config, model, or the engine itself. */
  input: 'data' | 'config' | 'model' | 'engine';
  /** Starts with the file's name when a file is at fault. */
  message: string;
  row?: number;
  column?: string;
}

/**
 * One customer's K as a sum of indicator contributions (integrated gradients
 * from the baseline customer, as `cvnet classify --explain`):
 * K − kBase = Σ contributions.
 */
export interface Explanation {
  type: 'explanation';
  index: number;
  id: string;
  /** The engine's K, as in the result. */
  K: number;
  kBase: number;
  indicators: { id: string; name: string }[];
  /** Model input order. */
  contributions: number[];
}

export type Response =
  | { type: 'progress'; epochs: number[]; perf: number[] }
  | { type: 'cancelled'; epoch: number }
  | { type: 'demo'; file: TextFile }
  | Result
  | Explanation
  | Failure;
