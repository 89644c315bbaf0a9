export { createEngine } from './engine.js';
export type { EngineConfig } from './engine.js';
