/** The model file's format tag and current version (zod-free, for the lean readers). */
export const MODEL_FORMAT = 'cvnet-model';
export const MODEL_VERSION = 1;
