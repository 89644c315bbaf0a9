export * from './classify.js';
export * from './current.js';
export * from './sample.js';
export * from './target.js';
export * from './pipeline.js';
export * from './model-method.js';
export * from './score-model.js';
export * from './train-model.js';
