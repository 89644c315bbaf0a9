export * from './index.js';
export { loadEngine } from './wasm/browser.js';
