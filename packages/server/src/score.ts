/**
 * POST /v1/score: validate (shape with the request schemas, values with the
 * model's rules), then score through core's scoreWithModel — the one scorer,
 * so the answers equal `cvnet classify` — place each customer in the model's
 * segment map, optionally explain K by integrated gradients, and format JSON
 * or streamed CSV.
 */
import {
  CLASSIFIED_COLUMNS, DataError, explainCustomers, explanationFields, explanationHeader, explanationObject, scoreWithModel,
  type CustomerRow, type Engine, type Explanations, type ScoredBatch, type ScoredCustomer,
} from '@cvnet/core';
import type { z } from 'zod';
import { csvLine, parseCsv } from './csv.js';
import { customerIssues, type RowIssue } from './customers.js';
import type { ModelState } from './model-state.js';
import { HttpProblem, IssueList, pointer } from './problem.js';
import { customerArraySchema, customerInputSchema } from './schemas.js';
import { assignSegments, type SegmentIds } from './segments.js';

export interface ScoreOptions {
  /** Add K_base and per-indicator contributions to K (integrated gradients from the "min" baseline). @default false */
  explain?: boolean;
}

/** Rows per chunk of a streamed CSV answer. */
const CSV_CHUNK = 512;

function invalid(issues: IssueList): HttpProblem {
  const { count, listed } = issues;
  const capped = count > listed.length ? ` (the first ${listed.length} are listed)` : '';
  return new HttpProblem('invalid-values', `${count === 1 ? '1 invalid value' : `${count} invalid values`}${capped}; see errors`, { errors: listed });
}

/**
 * Scores rows already checked; `where` locates row `index` for messages.
 *
 * @throws HttpProblem 422 listing every invalid value.
 */
function scoreRows(
  engine: Engine,
  state: ModelState,
  rows: CustomerRow[],
  where: (index: number) => { path: (string | number)[]; line?: number },
  numbering: { lines?: number[] },
): ScoredBatch {
  const { model } = state;
  try {
    return scoreWithModel(engine, model, rows, numbering);
  } catch (error) {
    // The callers' checks mirror the scorer's; this is the backstop for anything they let through.
    if (!(error instanceof DataError) || error.row === undefined) throw error;
    const index = numbering.lines ? numbering.lines.indexOf(error.row) : error.row - 1;
    const at = where(index);
    throw invalid(new IssueList([{ pointer: pointer([...at.path, ...(error.column === undefined ? [] : [error.column])]), detail: error.message, ...(at.line === undefined ? {} : { line: at.line }) }]));
  }
}

/** Everything the answer holds beyond the scores: segments for all, explanations when asked. */
interface Extras {
  segments: SegmentIds[];
  explained: Explanations | undefined;
}

/**
 * Segments (and explanations when asked) of a scored batch, all computed
 * before anything is sent.
 *
 * @throws HttpProblem 422 when the segment map reads a raw column a customer lacks.
 */
function extrasOf(
  state: ModelState,
  batch: ScoredBatch,
  rows: readonly CustomerRow[],
  where: (index: number) => { path: (string | number)[]; line?: number },
  options: ScoreOptions,
): Extras {
  const { ids, issues } = assignSegments(state.segments, batch, rows, where);
  if (issues.length > 0) throw invalid(new IssueList(issues));
  const explained = options.explain ? explainCustomers(state.model, batch.customers.map((c) => c.scores)) : undefined;
  return { segments: ids, explained };
}

/** A scored customer as the JSON API answers it. */
function resultOf(customer: ScoredCustomer, indicators: readonly string[], extras: Extras, i: number) {
  return {
    id: customer.id,
    K: customer.K,
    class: customer.class,
    strategy: customer.strategy,
    band: customer.band,
    C: customer.C,
    scores: Object.fromEntries(indicators.map((id, j) => [id, customer.scores[j]!])),
    ...extras.segments[i]!,
    ...(extras.explained === undefined ? {} : explanationObject(extras.explained, i)),
  };
}

/**
 * The request schema's issues by row (a single object is row 0), each with
 * its field, or none when the row itself is wrong (not an object).
 */
function shapeIssues(error: z.ZodError | undefined, single: boolean): Map<number, RowIssue[]> {
  const byRow = new Map<number, RowIssue[]>();
  for (const issue of error?.issues ?? []) {
    const row = single ? 0 : Number(issue.path[0]);
    const field = issue.path[single ? 0 : 1];
    let issues = byRow.get(row);
    if (issues === undefined) byRow.set(row, (issues = []));
    issues.push(field === undefined ? { detail: issue.message } : { field: String(field), detail: issue.message });
  }
  return byRow;
}

/** Scores a parsed JSON body: one customer → one result, an array → an array. */
export function scoreJson(engine: Engine, state: ModelState, body: unknown, maxCustomers: number, options: ScoreOptions = {}): { result: unknown; count: number } {
  const single = !Array.isArray(body);
  if (!single && body.length > maxCustomers) {
    throw new HttpProblem('too-many-customers', `${body.length} customers in one request; the limit is ${maxCustomers}`);
  }
  const parsed = single ? customerInputSchema.safeParse(body) : customerArraySchema(maxCustomers).safeParse(body);
  const items: unknown[] = single ? [body] : body;
  const where = (i: number) => ({ path: single ? [] : [i] });
  // Shape issues (request schema) and value issues (model rules) in one list, in body order.
  const issues = customerIssues(state.model, items, where, shapeIssues(parsed.error, single));
  if (issues.count > 0 || !parsed.success) throw invalid(issues);
  const rows = items as CustomerRow[];
  const batch = scoreRows(engine, state, rows, where, {});
  const extras = extrasOf(state, batch, rows, where, options);
  const results = batch.customers.map((c, i) => resultOf(c, batch.indicators, extras, i));
  return { result: single ? results[0] : results, count: results.length };
}

/**
 * Scores a CSV body and streams the answer in `cvnet classify`'s columns (id,
 * C, band, K, class, strategy, one score per indicator; with `explain`, then
 * K_base and contrib:<id> as `cvnet classify --explain`), then segment and
 * level — valid input again. All rows are checked, scored and segmented
 * before the first byte, so a bad row is a 422, never a truncated 200.
 */
export function scoreCsv(engine: Engine, state: ModelState, text: string, maxCustomers: number, options: ScoreOptions = {}): { stream: ReadableStream<Uint8Array>; count: number } {
  const table = parseCsv(text, maxCustomers);
  const rows = table.records.map((r): CustomerRow => Object.fromEntries(table.header.map((h, j) => [h, r.fields[j]!])));
  const lines = table.records.map((r) => r.line);
  const where = (i: number) => ({ path: [i], line: lines[i]! });
  const issues = customerIssues(state.model, rows, where);
  if (issues.count > 0) throw invalid(issues);
  const batch = scoreRows(engine, state, rows, where, { lines });
  const { segments, explained } = extrasOf(state, batch, rows, where, options);
  // segment and level come last so the columns before them stay byte for byte those of cvnet classify (--explain).
  const header = [...CLASSIFIED_COLUMNS, ...batch.indicators, ...(explained ? explanationHeader(batch.indicators) : []), 'segment', 'level'];
  const encoder = new TextEncoder();
  let next = -1;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === -1) {
        controller.enqueue(encoder.encode(csvLine(header)));
        next = 0;
        return;
      }
      if (next >= batch.customers.length) {
        controller.close();
        return;
      }
      let text = '';
      const end = Math.min(next + CSV_CHUNK, batch.customers.length);
      for (let i = next; i < end; i++) {
        const c = batch.customers[i]!;
        const { segment, level } = segments[i]!;
        text += csvLine([
          c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores,
          ...(explained ? explanationFields(explained, i) : []),
          segment ?? '', level ?? '',
        ]);
      }
      next += CSV_CHUNK;
      controller.enqueue(encoder.encode(text));
    },
  });
  return { stream, count: batch.customers.length };
}
