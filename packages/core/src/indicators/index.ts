export * from './config.js';
export * from './output-contract.js';
export * from './defaults.js';
export * from './fit.js';
export * from './fitted-schema.js';
export { parseJsonc, stripJsonComments } from './jsonc.js';
export { groupScore, fitQuantiles, applyCuts, categoricalScore, numericScore, type FittedRule, type FittedCuts, type FittedLikert, type FittedCategorical, type QuantileFit } from './rules.js';
export { describeSource, isBlank, isoDay, numericValue, sourceColumns, type CustomerRow } from './source.js';
export { cellNumber, decimalValue } from '../number-text.js';
