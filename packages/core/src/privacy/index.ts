export * from './pseudonymize.js';
export { hmacSha256, sha256, toHex } from './sha256.js';
