export * from './types.js';
export * from './transfer.js';
export * from './options.js';
export * from './traingdx-params.js';
export * from './prng.js';
export * from './init.js';
export * from './reference.js';
