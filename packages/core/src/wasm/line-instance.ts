/**
 * The instance side of assembly/classify-lines.ts: one Wasm instance holding
 * a prepared plan (line-classifier.ts) and classifying blocks of lines in
 * it, one call per block. Imports nothing, so that a worker thread
 * (line-worker.ts) starts with this file alone.
 */

/** What an instance needs to classify one file's lines (built by prepareLines). */
export interface PreparedLines {
  /** f64 plan, layout in line-classifier.ts. */
  readonly plan: Float64Array;
  /** The strategies' CSV fields, A to D, one after the other. */
  readonly strategies: Uint8Array;
  /** The network: encodeShape's i32 and its parameters. */
  readonly shape: Int32Array;
  readonly params: Float64Array;
  /** Bytes a row's output takes besides its id, at most. */
  readonly rowBytes: number;
  /** Fewest bytes a line takes (so a block of n bytes holds at most n / minLine + 1 lines). */
  readonly minLine: number;
}

/** The order of a block's ids (their bytes), which lets a duplicate check skip ids that ascend. */
export interface IdOrder {
  /** Each id comes after the one before in byte order, none equal. */
  readonly ascending: boolean;
  readonly first: Uint8Array<ArrayBuffer>;
  readonly last: Uint8Array<ArrayBuffer>;
}

/** One block's classified lines. */
export interface ClassifiedLines {
  /** Output lines (no header), UTF-8. */
  readonly output: Uint8Array<ArrayBuffer>;
  /** Each id's cyrb64 hash, two halves (id-table.ts's cyrb64). */
  readonly hashes: Int32Array<ArrayBuffer>;
  /** Each row's line in the file. */
  readonly lines: Float64Array<ArrayBuffer>;
  /** Absent for a block without rows. */
  readonly order?: IdOrder;
}

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  linesOpen(plan: number, strategies: number, shape: number, params: number): void;
  linesClose(): void;
  classifyLines(bytes: number, length: number, firstLine: number, maxRows: number, out: number, hashes: number, lines: number, result: number): number;
}

/** A buffer in the instance's memory, reallocated when a call needs more. */
interface Region {
  ptr: number;
  bytes: number;
}

/** The module's imports; classifyLines calls none of them (it refuses a block instead of throwing). */
const IMPORTS = {
  env: {
    abort: () => {
      throw new Error('the Wasm line classifier aborted');
    },
    progress: () => 0,
    remoteForward: () => 0,
    remoteBackward: () => undefined,
  },
};

export class LineInstance {
  private readonly x: Exports;
  private readonly held: number[] = [];
  private readonly regions = new Map<string, Region>();

  constructor(module: WebAssembly.Module, private readonly prepared: PreparedLines) {
    this.x = new WebAssembly.Instance(module, IMPORTS).exports as unknown as Exports;
    const { plan, strategies, shape, params } = prepared;
    const [planPtr, strategiesPtr, shapePtr, paramsPtr] = [plan, strategies, shape, params].map((values) => {
      const ptr = this.x.alloc(Math.max(8, values.byteLength));
      this.held.push(ptr);
      return ptr;
    }) as [number, number, number, number];
    // Views made after every allocation: alloc may grow (and so detach) the memory.
    const buffer = this.x.memory.buffer;
    new Float64Array(buffer, planPtr, plan.length).set(plan);
    new Uint8Array(buffer, strategiesPtr, strategies.length).set(strategies);
    new Int32Array(buffer, shapePtr, shape.length).set(shape);
    new Float64Array(buffer, paramsPtr, params.length).set(params);
    this.x.linesOpen(planPtr, strategiesPtr, shapePtr, paramsPtr);
  }

  /**
   * Classifies whole lines (the first is line `firstLine`), or returns
   * undefined when any of them is one for the caller's own path.
   */
  classify(bytes: Uint8Array, firstLine: number): ClassifiedLines | undefined {
    const maxRows = Math.floor(bytes.length / this.prepared.minLine) + 1;
    const input = this.region('input', bytes.length);
    const out = this.region('out', bytes.length + maxRows * this.prepared.rowBytes);
    const hashes = this.region('hashes', 8 * maxRows);
    const lines = this.region('lines', 8 * maxRows);
    const result = this.region('result', 24);
    const x = this.x;
    new Uint8Array(x.memory.buffer, input, bytes.length).set(bytes);
    const rows = x.classifyLines(input, bytes.length, firstLine, maxRows, out, hashes, lines, result);
    if (rows < 0) return undefined;
    const memory = x.memory.buffer;
    const [length, ascending, firstFrom, firstTo, lastFrom, lastTo] = new Int32Array(memory, result, 6) as unknown as number[];
    return {
      output: new Uint8Array(memory, out, length).slice(),
      hashes: new Int32Array(memory, hashes, 2 * rows).slice(),
      lines: new Float64Array(memory, lines, rows).slice(),
      // Copies (a Buffer's slice() is a view of the whole block, which a worker would send back whole).
      ...(rows > 0 ? { order: { ascending: ascending === 1, first: new Uint8Array(bytes.subarray(firstFrom, firstTo)), last: new Uint8Array(bytes.subarray(lastFrom, lastTo)) } } : {}),
    };
  }

  /** Releases the plan and the buffers. */
  dispose(): void {
    this.x.linesClose();
    for (const ptr of this.held) this.x.free(ptr);
    for (const { ptr } of this.regions.values()) this.x.free(ptr);
    this.held.length = 0;
    this.regions.clear();
  }

  /** The named buffer, with at least `bytes` bytes. */
  private region(name: string, bytes: number): number {
    let region = this.regions.get(name);
    if (region === undefined || region.bytes < bytes) {
      if (region !== undefined) this.x.free(region.ptr);
      // A quarter to spare, so that slightly longer blocks do not reallocate.
      const room = Math.max(8, Math.ceil(bytes * 1.25));
      region = { ptr: this.x.alloc(room), bytes: room };
      this.regions.set(name, region);
    }
    return region.ptr;
  }
}
