export * from './schema.js';
export * from './engine.js';
export * from './builtin.js';
export * from './summary.js';
export { describeExample, describeProblems, provePartition, type Example, type PartitionProblem, type PartitionProof, type ProveOptions } from './prove.js';
