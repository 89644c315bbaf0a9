/**
 * The page's handle on the training worker, and cancelling a run.
 *
 * Training is one synchronous Wasm call inside the worker, so a "cancel"
 * message would only be read after it finished. When the page is
 * cross-origin isolated (COOP/COEP headers) it shares a one-word
 * SharedArrayBuffer that the worker's progress callback reads every epoch:
 * the run stops cleanly and the worker, with its compiled Wasm, stays. Without
 * isolation SharedArrayBuffer is unavailable, so cancel terminates the worker
 * and starts a fresh one.
 */
import type { Request, Response } from './protocol.js';

export type CancelMode = 'shared-flag' | 'terminate';

export class WorkerClient {
  private worker: Worker;
  private flag: Int32Array | undefined;
  private running = false;
  readonly cancelMode: CancelMode = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' ? 'shared-flag' : 'terminate';

  constructor(private readonly listener: (message: Response) => void) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    // This exact expression lets Vite bundle the worker as its own ES module chunk.
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'cvnet-training' });
    worker.onmessage = (event: MessageEvent<Response>) => {
      if (event.data.type !== 'progress') this.running = false;
      this.listener(event.data);
    };
    worker.onerror = (event) => {
      this.running = false;
      this.listener({ type: 'error', input: 'engine', message: `the training worker failed: ${event.message || 'could not load it'}` });
    };
    return worker;
  }

  get busy(): boolean {
    return this.running;
  }

  send(request: Request): void {
    if (request.type === 'train' && this.cancelMode === 'shared-flag') {
      const buffer = new SharedArrayBuffer(4);
      this.flag = new Int32Array(buffer);
      request = { ...request, cancel: buffer };
    }
    this.running = true;
    this.worker.postMessage(request);
  }

  /** Stops the current run; the listener then gets a `cancelled` message. */
  cancel(): void {
    if (!this.running) return;
    if (this.cancelMode === 'shared-flag' && this.flag) {
      Atomics.store(this.flag, 0, 1);
      return;
    }
    this.worker.terminate();
    this.worker = this.spawn();
    this.running = false;
    this.listener({ type: 'cancelled', epoch: -1 });
  }
}
