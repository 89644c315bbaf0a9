export * from './kmeans.js';
export * from './profile.js';
