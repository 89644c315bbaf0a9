/**
 * A lean Node entry (`@cvnet/core/lean`) for start-up-sensitive commands such
 * as `cvnet predict`: errors, model conversion and writing, min–max scaling,
 * the Wasm engine loader and their types, without the rest of the index
 * (indicators, method, report, SQL, …), which costs tens of milliseconds to
 * load. Nothing here loads the zod model schema (another ~15 ms with its
 * first parse): read model files with readModelFile from `@cvnet/core/data`,
 * which loads it only for a file the generated validator does not accept;
 * parseModel stays in the main entry. Every export here is the same object
 * as the main entry's, so `instanceof CvnetError` holds across both.
 */
export * from './errors.js';
export {
  modelToNetwork,
  networkToModel,
  serializeModel,
  trainingRecord,
  type ModelInfo,
} from './model/convert.js';
export type { Model, ModelLayer, ModelTraining, ModelV1 } from './model/schema.js';
export { MODEL_FORMAT, MODEL_VERSION } from './model/format.js';
export { applyMinMax, fitMinMax, type MinMax, type MinMaxOptions } from './model/normalize.js';
export { loadEngine, loadModule, loadScorer } from './wasm/node.js';
export type { Scorer } from './wasm/engine.js';
export type { Engine, ForwardOptions, Network, Precision } from './network/types.js';
export { LineThread } from './wasm/line-thread.js';
