import { Args, Command, Flags } from '@oclif/core';
import {
  CLASSIFIED_COLUMNS,
  OptionsError,
  isClassifiedOutput,
  loadEngine,
  methodOf,
  scoreWithModel,
  subjectOf,
  type Model,
  type SegmentEngine,
  type SegmentSubject,
} from '@cvnet/core';
import { DataError, csvField, csvLine, locate, openCsv, parseNumber, readModelFile, type CsvRecord, type CsvSource } from '@cvnet/core/data';
import { loadSegmentMap, parseClass } from '../lib/beyond-input.js';
import { fail } from '../lib/fail.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';
import { IdChecker } from '../lib/duplicate-ids.js';
import { inFile, toRow } from '../lib/file-rows.js';
import { idChecker, idsOnLines } from '../lib/method-output.js';
import { checkOutIsNotInput, writeOutputTo } from '../lib/stdout.js';

/** Rows per scoring call for raw input (amortises the Wasm call, keeps memory flat). */
const CHUNK = 4096;

export default class Segment extends Command {
  static override description = `Put every customer in one segment of a segment map and add "segment" and "level" columns.

A segment map names labels (rules on indicator scores, K, C, band, class or raw columns) and segments (combinations of labels) grouped into levels, each with a description and a playbook. At load the map is proven to put every possible customer in exactly one segment; otherwise the command stops and names each overlap and gap with an example customer. Shipped maps: value17 (3 levels, 17 segments over the 14 indicators and classes A-D) and rfm (the 10-segment recency x frequency map). Without --segments the first shipped map the indicators allow is used (value17, then rfm).

Input is cvnet classify output (id, C, band, K, class, strategy, score columns), written back with segment and level appended (replaced if present), or raw customers, which are scored with --model first and written in the classify layout plus segment and level. Rows are streamed; with --out the file appears only when complete.`;

  static override examples = [
    '<%= config.bin %> segment classified.csv --out segmented.csv',
    '<%= config.bin %> segment customers.csv --model model.json --segments rfm --out segmented.csv',
    '<%= config.bin %> segment --segments my-segments.json --check',
  ];

  static override args = {
    data: Args.string({ description: 'customer CSV: cvnet classify output, or raw customers with --model', required: false }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file (needed for raw customers; checks the indicators of the map)' }),
    segments: Flags.string({ char: 's', description: 'segment map: value17, rfm or a JSON/JSONC file [default: value17 if the indicators allow, else rfm]' }),
    out: Flags.string({ char: 'o', description: 'CSV file to write [default: standard output]' }),
    pseudonymize: Flags.boolean({ description: 'replace customer ids by HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY', default: false }),
    check: Flags.boolean({ description: 'only prove the segment map and describe it; no data needed', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Segment);
    // Error lines quote ids too (duplicates): they get the pseudonym.
    let policy: IdPolicy | undefined;
    try {
      const model = flags.model === undefined ? undefined : await readModelFile(flags.model);
      if (model) methodOf(model, flags.model);
      if (flags.check) {
        const map = await loadSegmentMap(flags.segments, model?.inputs.names);
        this.log(describeMap(map));
        return;
      }
      if (args.data === undefined) throw new OptionsError('give a customer CSV file (or --check to only prove the segment map)');
      await checkOutIsNotInput(flags.out, args.data);
      policy = idPolicy(flags.pseudonymize);
      const { ids } = policy;
      const source = await openCsv(args.data);
      const classified = isClassifiedOutput(source.header);
      if (!classified && !model) throw new OptionsError(`${args.data} is not cvnet classify output (it lacks id, K and class columns); give --model to score raw customers`);
      const available = model ? model.inputs.names : source.header.filter((h) => !(CLASSIFIED_COLUMNS as readonly string[]).includes(h) && h !== 'segment' && h !== 'level');
      const map = await loadSegmentMap(flags.segments, available);
      for (const w of map.warnings) process.stderr.write(`Warning: ${w}\n`);
      const text = classified ? segmentClassified(source, map, policy) : segmentRaw(source, map, model!, ids);
      await writeOutputTo(flags.out, text);
    } catch (error) {
      fail(this, pseudonymizeError(error, policy));
    }
  }
}

function describeMap(map: SegmentEngine): string {
  const c = map.config;
  const lines = [
    `${c.name}: ${c.levels.length} level(s), ${c.segments.length} segment(s), ${c.labels.length} label(s).`,
    `Proven: every possible customer is in exactly one segment (${map.proof.cases} case(s) over ${map.proof.variables.map((v) => `${v.key.replace(/^(score|field):/, '')} (${v.regions} region${v.regions === 1 ? '' : 's'})`).join(', ') || 'no variables'}).`,
  ];
  for (const level of c.levels) {
    lines.push('', `${level.name}${level.description ? ` — ${level.description}` : ''}`);
    for (const s of c.segments.filter((x) => x.level === level.id)) lines.push(`  ${s.id}: ${s.name} — ${s.description}`);
  }
  for (const w of map.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

/**
 * Classified rows with segment and level appended (or replaced). A row whose
 * own text is csv-stringify's already (CsvRecord.text) and whose id is
 * written unchanged is copied with the two columns appended; the ids are
 * checked a chunk at a time, and before any other error of the chunk, so
 * the first error in row order is the one reported.
 */
async function* segmentClassified(source: CsvSource, map: SegmentEngine, { ids, pseudonymized }: IdPolicy): AsyncGenerator<string> {
  const { header, path } = source;
  const at = (name: string): number => header.indexOf(name);
  const needed = [...map.indicators.filter((i) => at(i) < 0).map((i) => `score column "${i}"`), ...(map.needs.C && at('C') < 0 ? ['column "C"'] : []), ...(map.needs.band && at('band') < 0 ? ['column "band"'] : []), ...map.fields.filter((f) => at(f) < 0).map((f) => `column "${f}"`)];
  if (needed.length) throw new DataError(`${path}: the segment map "${map.config.name}" needs ${needed.join(', ')}, which the file lacks (columns: ${header.join(', ')})`, { column: needed[0] });
  const [idAt, segAt, levelAt, kAt, classAt, cAt, bandAt] = ['id', 'segment', 'level', 'K', 'class', 'C', 'band'].map(at) as [number, number, number, number, number, number, number];
  const scoreAt = map.indicators.map((i) => [i, at(i)] as const);
  const outHeader = [...header];
  if (segAt < 0) outHeader.push('segment');
  if (levelAt < 0) outHeader.push('level');
  yield csvLine(outHeader);
  // Rows can be copied when the two columns are new and ids are written as they are.
  const copyable = segAt < 0 && levelAt < 0 && !pseudonymized;
  const idsOf = (again: CsvSource, records: readonly CsvRecord[]): string[] => records.map((r) => r.fields[again.header.indexOf('id')]!.trim());
  const seen = new IdChecker({ path, idColumn: () => 'id' }, (lines) => idsOnLines(path, lines, idsOf));
  let chunk: string[] = [];
  let chunkIds: string[] = [];
  let chunkLines: number[] = [];
  /** Checks the chunk's ids (taken first: a check that throws must not see them again). */
  const checkIds = async (): Promise<void> => {
    const [taken, takenLines] = [chunkIds, chunkLines];
    chunkIds = [];
    chunkLines = [];
    if (taken.length > 0) await seen.check(seen.hashes(taken), takenLines);
  };
  try {
    for await (const r of source.records) {
      const raw = r.fields[idAt]!;
      const id = raw.trim();
      if (id === '') throw new DataError(`${locate(path, r.line, 'id')}: empty customer id`, { row: r.line, column: 'id' });
      // The id is checked before the row's values, as the rows before it are.
      chunkIds.push(id);
      chunkLines.push(r.line);
      const num = (name: string, column: number): number => parseNumber(r.fields[column]!, path, r.line, name);
      const scores: Record<string, number> = {};
      for (const [indicator, column] of scoreAt) scores[indicator] = num(indicator, column);
      const subject: SegmentSubject = {
        scores,
        K: num('K', kAt),
        class: parseClass(r.fields[classAt]!, path, r.line),
        ...(map.needs.C ? { C: num('C', cAt) } : {}),
        ...(map.needs.band ? { band: num('band', bandAt) } : {}),
        // Only a map with rules on raw columns reads them: no row object otherwise.
        fields: map.fields.length > 0 ? toRow(header, r.fields) : {},
      };
      const { segment, level } = map.assign(subject, locate(path, r.line));
      if (copyable && r.text !== undefined && raw === id) {
        chunk.push(`${r.text},${csvField(segment.id)},${csvField(level.id)}\n`);
      } else {
        const out = [...r.fields];
        out[idAt] = ids(id);
        if (segAt >= 0) out[segAt] = segment.id;
        else out.push(segment.id);
        if (levelAt >= 0) out[levelAt] = level.id;
        else out.push(level.id);
        chunk.push(csvLine(out));
      }
      if (chunk.length === CHUNK) {
        await checkIds();
        yield chunk.join('');
        chunk = [];
      }
    }
    await checkIds();
    await seen.finish();
  } catch (error) {
    // A bad value or a malformed row: a repeated id before it is the first error.
    await checkIds();
    throw error;
  } finally {
    seen.dispose();
  }
  if (chunk.length) yield chunk.join('');
}

/** Raw rows scored with the model, written in the classify layout plus segment and level. */
async function* segmentRaw(source: CsvSource, map: SegmentEngine, model: Model, ids: (id: string) => string): AsyncGenerator<string> {
  const engine = await loadEngine();
  const { header, path } = source;
  const missingFields = map.fields.filter((f) => !header.includes(f));
  if (missingFields.length) throw new DataError(`${path}: the segment map "${map.config.name}" reads column(s) ${missingFields.map((f) => `"${f}"`).join(', ')}, which the file lacks`, { column: missingFields[0] });
  const indicators = model.inputs.names;
  yield csvLine([...CLASSIFIED_COLUMNS, ...indicators, 'segment', 'level']);
  const seen = idChecker(engine, model, source);
  let chunk: CsvRecord[] = [];
  const flush = async (): Promise<string> => {
    const rows = chunk.map((r) => toRow(header, r.fields));
    const lines = chunk.map((r) => r.line);
    const batch = inFile(path, DataError, () => scoreWithModel(engine, model, rows, { lines }));
    await seen.check(seen.hashes(batch.customers.map((c) => c.id)), lines);
    const out = batch.customers.map((c, i) => {
      const { segment, level } = map.assign(subjectOf(c, indicators, rows[i]), locate(path, lines[i]));
      return [ids(c.id), c.C, c.band, c.K, c.class, c.strategy, ...c.scores, segment.id, level.id];
    });
    chunk = [];
    return out.map(csvLine).join('');
  };
  try {
    for await (const r of source.records) {
      chunk.push(r);
      if (chunk.length === CHUNK) yield await flush();
    }
    if (chunk.length) yield await flush();
    await seen.finish();
  } finally {
    seen.dispose();
  }
}
