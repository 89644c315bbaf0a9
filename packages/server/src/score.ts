/**
 * POST /v1/score: validate (shape with the request schemas, values with the
 * model's rules), then score through core's scoreWithModel — the one scorer,
 * so the answers equal `cvnet classify` — and format JSON or streamed CSV.
 */
import { CLASSIFIED_COLUMNS, DataError, scoreWithModel, type CustomerRow, type Engine, type ScoredBatch, type ScoredCustomer } from '@cvnet/core';
import type { z } from 'zod';
import { csvLine, parseCsv } from './csv.js';
import { customerIssues, MAX_ISSUES } from './customers.js';
import type { ModelState } from './model-state.js';
import { HttpProblem, pointer, type FieldIssue } from './problem.js';
import { customerArraySchema, customerInputSchema } from './schemas.js';

/** Rows per chunk of a streamed CSV answer. */
const CSV_CHUNK = 512;

function invalid(issues: FieldIssue[]): HttpProblem {
  const capped = issues.length >= MAX_ISSUES ? ` (the first ${MAX_ISSUES} are listed)` : '';
  return new HttpProblem('invalid-values', `${issues.length === 1 ? '1 invalid value' : `${issues.length} invalid values`}${capped}; see errors`, { errors: issues });
}

function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((i) => ({ pointer: pointer(i.path), detail: i.message }));
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
    throw invalid([{ pointer: pointer([...at.path, ...(error.column === undefined ? [] : [error.column])]), detail: error.message, ...(at.line === undefined ? {} : { line: at.line }) }]);
  }
}

/** A scored customer as the JSON API answers it. */
function resultOf(customer: ScoredCustomer, indicators: readonly string[]) {
  return {
    id: customer.id,
    K: customer.K,
    class: customer.class,
    strategy: customer.strategy,
    band: customer.band,
    C: customer.C,
    scores: Object.fromEntries(indicators.map((id, j) => [id, customer.scores[j]!])),
  };
}

const isObject = (v: unknown): v is CustomerRow => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Shape issues (request schema) and value issues (model rules) together, so
 * one answer lists every bad value; a value with a shape issue is not
 * reported twice.
 */
function allIssues(state: ModelState, items: readonly unknown[], shape: z.ZodError | undefined, path: (i: number) => (string | number)[]): FieldIssue[] {
  const issues = shape ? zodIssues(shape) : [];
  const objects = items.flatMap((item, i) => (isObject(item) ? [{ item, i }] : []));
  const seen = new Set(issues.map((i) => i.pointer));
  const values = customerIssues(state.model, objects.map((o) => o.item), (k) => ({ path: path(objects[k]!.i) }));
  return [...issues, ...values.filter((v) => !seen.has(v.pointer))].slice(0, MAX_ISSUES);
}

/** Scores a parsed JSON body: one customer → one result, an array → an array. */
export function scoreJson(engine: Engine, state: ModelState, body: unknown, maxCustomers: number): { result: unknown; count: number } {
  const single = !Array.isArray(body);
  if (!single && body.length > maxCustomers) {
    throw new HttpProblem('too-many-customers', `${body.length} customers in one request; the limit is ${maxCustomers}`);
  }
  const parsed = single ? customerInputSchema.safeParse(body) : customerArraySchema(maxCustomers).safeParse(body);
  const items: unknown[] = single ? [body] : body;
  const path = (i: number): (string | number)[] => (single ? [] : [i]);
  const issues = allIssues(state, items, parsed.error, path);
  if (issues.length > 0 || !parsed.success) throw invalid(issues);
  const rows = items as CustomerRow[];
  const batch = scoreRows(engine, state, rows, (i) => ({ path: path(i) }), {});
  const results = batch.customers.map((c) => resultOf(c, batch.indicators));
  return { result: single ? results[0] : results, count: results.length };
}

/**
 * Scores a CSV body and streams the answer in `cvnet classify`'s columns (id,
 * C, band, K, class, strategy, one score per indicator) — valid input again.
 * All rows are checked and scored before the first byte, so a bad row is a
 * 422, never a truncated 200.
 */
export function scoreCsv(engine: Engine, state: ModelState, text: string, maxCustomers: number): { stream: ReadableStream<Uint8Array>; count: number } {
  const table = parseCsv(text, maxCustomers);
  const rows = table.records.map((r): CustomerRow => Object.fromEntries(table.header.map((h, j) => [h, r.fields[j]!])));
  const lines = table.records.map((r) => r.line);
  const issues = customerIssues(state.model, rows, (i) => ({ path: [i], line: lines[i]! }));
  if (issues.length > 0) throw invalid(issues);
  const batch = scoreRows(engine, state, rows, (i) => ({ path: [i], line: lines[i]! }), { lines });
  const encoder = new TextEncoder();
  let next = -1;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === -1) {
        controller.enqueue(encoder.encode(csvLine([...CLASSIFIED_COLUMNS, ...batch.indicators])));
        next = 0;
        return;
      }
      if (next >= batch.customers.length) {
        controller.close();
        return;
      }
      let text = '';
      for (const c of batch.customers.slice(next, next + CSV_CHUNK)) text += csvLine([c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores]);
      next += CSV_CHUNK;
      controller.enqueue(encoder.encode(text));
    },
  });
  return { stream, count: batch.customers.length };
}
