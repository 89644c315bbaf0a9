export * from './atomic.js';
export * from './csv.js';
export * from './csv-lines.js';
export * from './csv-write.js';
export * from './directory.js';
export * from './model-file.js';
export { removeOnSignal } from './signal-cleanup.js';
export { DataError } from '../errors.js';
