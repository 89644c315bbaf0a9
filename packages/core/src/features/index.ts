/**
 * Raw indicator values from transaction logs, computed by an embedded DuckDB
 * (Node only: `@cvnet/core/features`).
 */
export * from './mapping.js';
export { checkMemoryLimit } from './memory-limit.js';
export * from './session.js';
export { indicatorColumns, type Available, type CustomersQuery } from './sql.js';
export * from './backtest.js';
export * from './config.js';
