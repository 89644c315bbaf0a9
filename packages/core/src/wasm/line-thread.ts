/**
 * A second thread for the bulk path of `cvnet classify`: a worker with its
 * own LineInstance (line-worker.ts), to which the caller hands some blocks
 * while it classifies others itself, and awaits the results in file order.
 * On 2 cores a million survey rows then take both, as DuckDB's reader does.
 * Node-only (worker_threads).
 */
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import type { ClassifiedLines, PreparedLines } from './line-instance.js';

interface Pending {
  resolve(result: ClassifiedLines | undefined): void;
  reject(error: Error): void;
}

export class LineThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private failure: Error | undefined;

  constructor(module: WebAssembly.Module, prepared: PreparedLines) {
    this.worker = new Worker(new URL('./line-worker.js', import.meta.url), { workerData: { module, prepared } });
    this.worker.on('message', ({ id, result }: { id: number; result: ClassifiedLines | undefined }) => {
      const call = this.pending.get(id);
      this.pending.delete(id);
      call?.resolve(result);
    });
    this.worker.on('error', (error) => this.fail(new EngineError(`the classify worker thread failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => this.fail(new EngineError(`the classify worker thread stopped (exit code ${code})`)));
  }

  /** Blocks sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** LineInstance.classify on the worker; `bytes` is copied, so the caller may reuse its buffer. */
  classify(bytes: Uint8Array, firstLine: number): Promise<ClassifiedLines | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    // A copy of its own to transfer (a Buffer's slice() would share, and then detach, the caller's memory).
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, bytes: copy, firstLine }, [copy.buffer]);
    });
  }

  /** Stops the worker; blocks still under way are dropped. */
  close(): void {
    this.worker.removeAllListeners('exit');
    this.pending.clear();
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }
}
