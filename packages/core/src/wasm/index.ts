export { createEngine, createScorer } from './engine.js';
export type { EngineConfig, Scorer } from './engine.js';
