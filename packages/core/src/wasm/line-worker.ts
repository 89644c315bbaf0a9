/**
 * A worker thread of LineThread (line-thread.ts): one LineInstance of the
 * main thread's module and plan, classifying each block it is sent and
 * sending the result's buffers back without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LineInstance, type PreparedLines } from './line-instance.js';

const { module, prepared } = workerData as { module: WebAssembly.Module; prepared: PreparedLines };
const instance = new LineInstance(module, prepared);

parentPort!.on('message', ({ id, bytes, firstLine }: { id: number; bytes: Uint8Array; firstLine: number }) => {
  const result = instance.classify(bytes, firstLine);
  parentPort!.postMessage({ id, result }, result ? [result.output.buffer, result.hashes.buffer, result.lines.buffer] : []);
});
