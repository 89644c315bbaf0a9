export * from './html.js';
export * from './summary.js';
export * from './types.js';
export { escapeHtml } from './escape.js';
