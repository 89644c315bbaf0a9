/** Predictive targets, the backtest figures and their report (runtime-agnostic). */
export * from './metrics.js';
export * from './predictive.js';
export * from './backtest.js';
export * from './report.js';
