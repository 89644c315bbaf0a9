export { SQL_DIALECTS, type SqlDialect } from './dialect.js';
export { modelToSql, type ModelSqlOptions } from './generate.js';
export { SQL_LIMITS, SqlLimitError, type SqlLimit } from './limits.js';
