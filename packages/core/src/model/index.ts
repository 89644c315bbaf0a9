export * from './schema.js';
export * from './model.js';
export * from './normalize.js';
