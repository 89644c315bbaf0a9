/**
 * `cvnet classify` on a file: its output as chunks, in file order.
 *
 * The file is read in blocks of whole lines and classified by
 * BlockClassifier, mostly straight from the bytes; from a block whose last
 * record goes on past it (a quoted line break at its end) on, and
 * throughout when the model reads columns the line reader does not, the
 * file is read record by record with openCsv. Outputs and errors are the
 * same on every path (tested).
 *
 * Ids are checked for duplicates by IdChecker, except while they ascend
 * (AscendingIds): Wasm says whether a block's ids do.
 *
 * On a large file a worker thread (LineThread) classifies some of the
 * blocks in Wasm while this thread classifies the others and checks ids;
 * results are taken in file order. Worker threads were tried twice before,
 * when blocks were classified in JavaScript: one thread then kept ~1.3
 * cores busy (GC, file writes), and a worker made a million rows only
 * 1.08–1.2× faster for ~30–70 MB more memory. With the Wasm path there is
 * little garbage, and on 2 cores the worker took 0.69 s to 0.54–0.60 s.
 */
import { isUtf8 } from 'node:buffer';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { LineThread, loadModule, type Model, type Scorer } from '@cvnet/core/lean';
import { csvLine, LINE_BLOCK, lineBlocks, openCsv, openCsvAt, type CsvPosition, type CsvSource } from '@cvnet/core/data';
import { AscendingIds } from './ascending-ids.js';
import { BlockClassifier, type ClassifiedBlock } from './block-classifier.js';
import { classifiedHeader, formatStream, idChecker, scoreStream, type OutputFormat } from './method-output.js';

/**
 * Blocks under way at most; the first is awaited when there are more. With
 * room for 16, this thread classifies blocks of its own while the worker's
 * are still under way instead of waiting for them (1 M rows: median ratio to
 * DuckDB's count 1.86 with 4, 1.81 with 8, 1.74–1.77 with 16, 1.81 with 32;
 * ~25 MB of blocks at most).
 */
const QUEUE = 16;

/** A block under way. */
interface Step {
  readonly bytes: Buffer;
  readonly at: CsvPosition;
  /** Sent to the worker: its result undefined means the JavaScript paths must read it here. */
  readonly remote: boolean;
  result: ClassifiedBlock | undefined | Promise<ClassifiedBlock | undefined>;
  done: boolean;
}

export interface ClassifyFileOptions {
  readonly format: OutputFormat;
  /** Append K_base and the contribution columns. @default false */
  readonly explain?: boolean;
  /** Applied to every id written (`--pseudonymize`). @default the identity */
  readonly ids?: (id: string) => string;
  /** Bytes per block of lines (tests use small blocks to cross many block ends). @default LINE_BLOCK */
  readonly blockBytes?: number;
  /** Ids the duplicate check holds in memory before it spills to disk (tests use a small one). @default IdChecker's */
  readonly idCap?: number;
  /**
   * Bytes of data from which a worker thread takes some of the blocks; a
   * second thread pays for its start (~30 ms of the other core) only on a
   * large file, and never on a machine with one core. Tests use 0.
   * @default 8 × LINE_BLOCK (2 MiB)
   */
  readonly threadFrom?: number;
}

/**
 * The classified file as output chunks (the CSV header with the first
 * block, so an error in the first rows leaves no output).
 *
 * @throws DataError naming file, line and column.
 */
export async function* classifyFile(scorer: Scorer, model: Model, path: string, options: ClassifyFileOptions): AsyncGenerator<string | Uint8Array> {
  const { format, explain = false, blockBytes = LINE_BLOCK, idCap, threadFrom = 8 * LINE_BLOCK } = options;
  const formatOptions = { ...(options.ids ? { ids: options.ids } : {}), ...(explain ? { explain: model } : {}) };
  const indicators = model.inputs.names; // methodOf has checked they are the indicators
  const source = await openCsv(path);
  const setup = { path, header: source.header, format };
  const ids = idChecker(scorer, model, setup, idCap === undefined ? {} : { cap: idCap });
  // The bulk path's ids, which it need not look up while they ascend.
  const sorted = new AscendingIds(ids);
  let rest: CsvSource = source;
  let withHeader = true;
  let classifier: BlockClassifier | undefined;
  let thread: LineThread | undefined;
  try {
    const start = source.dataStart;
    classifier = await BlockClassifier.create(scorer, model, setup, formatOptions);
    if (classifier !== undefined) {
      await source.close();
      const dataBytes = (await stat(path)).size - start.byte;
      // On one core a second thread would only take turns with this one.
      if (classifier.prepared !== undefined && dataBytes > threadFrom && availableParallelism() > 1) {
        thread = new LineThread(await loadModule(), classifier.prepared);
      }
      let header = format === 'csv' ? csvLine(classifiedHeader(indicators, explain)) : undefined;
      let handOver: CsvPosition | undefined;
      let line = start.line;
      // Blocks under way, in file order: the worker's, and this thread's (done at once).
      const queue: Step[] = [];
      const next = async (): Promise<Uint8Array | undefined> => {
        const step = queue.shift()!;
        const block = (await step.result) ?? (step.remote ? classifier!.classifyInJs(step.bytes, step.at) : undefined);
        if (block === undefined) {
          handOver = step.at;
          return undefined;
        }
        await sorted.check(block.hashes, block.lines, block.order);
        return block.output;
      };
      /** Outputs of the blocks at the queue's head: those done (or, past QUEUE, awaited), or with `all` every one. */
      const drain = async function* (all: boolean): AsyncGenerator<string | Uint8Array> {
        while (handOver === undefined && queue.length > 0 && (all || queue[0]!.done || queue.length > QUEUE)) {
          const output = await next();
          if (output === undefined) return;
          if (header !== undefined) yield header;
          header = undefined;
          yield output;
        }
      };
      for await (const { bytes, byte, feeds } of lineBlocks(path, start.byte, blockBytes)) {
        // The id table sized once from the first block's line length, not regrown as it fills.
        if (byte === start.byte) sorted.expect(Math.ceil((dataBytes * feeds) / bytes.length));
        const at = { byte, line };
        line += feeds;
        // The worker takes a block whenever it has fewer than three, so it never waits for one (its Wasm path does not check UTF-8; this thread's reader does).
        const remote = thread !== undefined && thread.inFlight < 3 && isUtf8(bytes);
        const step: Step = { bytes, at, remote, result: undefined, done: !remote };
        if (remote) {
          const result = thread!.classify(bytes, at.line + 1);
          // Handled here, so that a failing worker is not an unhandled rejection before its turn.
          result.then(() => (step.done = true), () => (step.done = true));
          step.result = result;
        } else {
          try {
            step.result = classifier.classify(bytes, at);
          } catch (error) {
            // Thrown at its turn: a block before it, still with the worker, may fail first, or hand over to the record reader, which may read this block's lines as a quoted field's.
            const failed = Promise.reject(error as Error);
            failed.catch(() => undefined);
            step.result = failed;
          }
        }
        queue.push(step);
        yield* drain(false);
        if (handOver !== undefined) break;
      }
      yield* drain(true);
      thread?.close();
      thread = undefined;
      if (handOver === undefined) {
        await sorted.finish();
        if (header !== undefined) yield header;
        return;
      }
      // The record reader checks ids through the checker itself.
      await sorted.handOver();
      rest = openCsvAt(path, source.header, handOver);
      withHeader = header !== undefined;
    }
    // Record by record from here (openCsv's reader): the whole file, or the rest of it.
    yield* formatStream(scoreStream(scorer, model, rest, ids), indicators, format, formatOptions, withHeader);
  } finally {
    ids.dispose();
    thread?.close();
    classifier?.dispose();
  }
}
