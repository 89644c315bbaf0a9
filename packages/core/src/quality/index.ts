export * from './config.js';
export * from './apply.js';
export * from './render.js';
