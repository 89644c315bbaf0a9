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
 * One thread, on purpose. Worker threads were tried twice (one
 * BlockClassifier per worker, the main thread taking blocks no worker had
 * room for, outcomes awaited in file order). On 2 cores one worker made a
 * million rows only 1.08–1.2× faster, as one thread already keeps ~1.3
 * cores busy (GC, file writes; user + sys 2.0 s in 1.5 s), while its
 * isolate added ~30 MB at 1 M rows and ~70 MB at 5 M (287 MB peak, against
 * the 300 MB classify keeps to whatever the file size).
 */
import { stat } from 'node:fs/promises';
import type { Model, Scorer } from '@cvnet/core/lean';
import { csvLine, LINE_BLOCK, lineBlocks, openCsv, openCsvAt, type CsvPosition, type CsvSource } from '@cvnet/core/data';
import { BlockClassifier } from './block-classifier.js';
import { classifiedHeader, formatStream, idChecker, scoreStream, type OutputFormat } from './method-output.js';

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
}

/**
 * The classified file as output chunks (the CSV header with the first
 * block, so an error in the first rows leaves no output).
 *
 * @throws DataError naming file, line and column.
 */
export async function* classifyFile(scorer: Scorer, model: Model, path: string, options: ClassifyFileOptions): AsyncGenerator<string | Uint8Array> {
  const { format, explain = false, blockBytes = LINE_BLOCK, idCap } = options;
  const formatOptions = { ...(options.ids ? { ids: options.ids } : {}), ...(explain ? { explain: model } : {}) };
  const indicators = model.inputs.names; // methodOf has checked they are the indicators
  const source = await openCsv(path);
  const setup = { path, header: source.header, format };
  const ids = idChecker(scorer, model, setup, idCap === undefined ? {} : { cap: idCap });
  let rest: CsvSource = source;
  let withHeader = true;
  let classifier: BlockClassifier | undefined;
  try {
    const start = source.dataStart;
    classifier = await BlockClassifier.create(scorer, model, setup, formatOptions);
    if (classifier !== undefined) {
      await source.close();
      const dataBytes = (await stat(path)).size - start.byte;
      let header = format === 'csv' ? csvLine(classifiedHeader(indicators, explain)) : undefined;
      let handOver: CsvPosition | undefined;
      let line = start.line;
      for await (const { bytes, byte, feeds } of lineBlocks(path, start.byte, blockBytes)) {
        // The id table sized once from the first block's line length, not regrown as it fills.
        if (byte === start.byte) ids.expect(Math.ceil((dataBytes * feeds) / bytes.length));
        const block = classifier.classify(bytes, { byte, line });
        if (block === undefined) {
          handOver = { byte, line };
          break;
        }
        await ids.check(block.hashes, block.lines);
        if (header !== undefined) yield header;
        header = undefined;
        yield block.output;
        line += feeds;
      }
      if (handOver === undefined) {
        await ids.finish();
        if (header !== undefined) yield header;
        return;
      }
      rest = openCsvAt(path, source.header, handOver);
      withHeader = header !== undefined;
    }
    // Record by record from here (openCsv's reader): the whole file, or the rest of it.
    yield* formatStream(scoreStream(scorer, model, rest, ids), indicators, format, formatOptions, withHeader);
  } finally {
    ids.dispose();
    classifier?.dispose();
  }
}
