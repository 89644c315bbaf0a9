export * from './csv.js';
export * from './survey.js';
