export * from './index.js';
export { loadEngine } from './wasm/node.js';
