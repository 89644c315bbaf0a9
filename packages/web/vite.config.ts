import { defineConfig } from 'vite';

/**
 * Cross-origin isolation lets the page share a SharedArrayBuffer with the
 * worker, which is how Cancel reaches a running (synchronous) training call.
 * The same headers are set by `cvnet web` and the test server.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs: dist/ works from any folder or sub-path of a static server.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Keep cvnet.wasm a separate file so it compiles with instantiateStreaming.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // Every browser with module workers has modulepreload; skip the polyfill.
    modulePreload: { polyfill: false },
  },
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
});
