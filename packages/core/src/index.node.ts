export * from './index.js';
export { loadEngine } from './wasm/node.js';
export { loadModule } from './wasm/node.js';
export { trainThreaded, type ThreadedTrainOptions } from './wasm/threads.js';
