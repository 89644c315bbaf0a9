/** @cvnet/server: the Web-standard app; hosts add an engine and a model (see ./node.js and ./worker.js). */
export { createApp, DEFAULT_BODY_LIMIT, DEFAULT_MAX_CUSTOMERS, type AppOptions } from './app.js';
export { tokensFromEnv } from './auth.js';
export { jsonLogger, silent, type LogEntry, type Logger } from './log.js';
export { loadModelState, modelInfo, ModelRejected, ModelStore, type LoadModelOptions, type ModelState } from './model-state.js';
export { segmentMapFor, segmentsInfo, segmentsSetting, type SegmentMap, type SegmentsSetting } from './segments.js';
export { PROBLEMS, type ProblemBody, type ProblemType } from './problem.js';
