export * from './index.js';
export { loadEngine } from './wasm/workerd.js';
