export * from './index.js';
export { loadEngine, loadModule, loadScorer } from './wasm/node.js';
export { trainThreaded, type ThreadedTrainOptions } from './wasm/threads.js';
