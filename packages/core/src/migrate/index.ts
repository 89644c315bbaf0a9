export * from './compare.js';
export * from './render.js';
