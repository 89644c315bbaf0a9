export * from './ahp.js';
export * from './compute.js';
