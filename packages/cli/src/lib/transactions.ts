/**
 * Shared by `cvnet features` and `cvnet backtest`: the mapping file, the
 * DuckDB flags, the stage progress line and the where-did-the-rows-go table.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Flags } from '@oclif/core';
import { CvnetError, DataError } from '@cvnet/core';
import { validateMapping, parseMapping, type FeatureProgress, type FeatureSummary, type Mapping } from '@cvnet/core/features';

export const transactionFlags = {
  map: Flags.string({ description: 'mapping file naming the source columns (JSON); default: common column names' }),
  window: Flags.integer({ description: 'days before as-of counted for frequency, monetary, repeat and cross purchases [default: mapping windowDays, else 365]', min: 1 }),
  'memory-limit': Flags.string({ description: 'DuckDB memory limit, a size such as 2GB or 512MiB; larger work spills to a temp directory', default: '1GB' }),
  threads: Flags.integer({ description: 'DuckDB worker threads', default: 2, min: 1 }),
};

/** The mapping from --map (relative table paths may live beside it), or the defaults. */
export async function loadMapping(path: string | undefined, window: number | undefined): Promise<{ mapping: Mapping; mappingDir?: string }> {
  let mapping: Mapping;
  if (path === undefined) mapping = validateMapping({}, 'default mapping');
  else {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CvnetError('IO', `${path}: cannot read the mapping file (${error.code ?? error.message})`);
    });
    mapping = parseMapping(text, path);
  }
  if (window !== undefined) mapping = { ...mapping, windowDays: window };
  return path === undefined ? { mapping } : { mapping, mappingDir: dirname(path) };
}

/** A progress line on stderr (only on a terminal): stage, elapsed seconds, and DuckDB's percent and rows when it reports them. */
export function stageProgress(enabled: boolean): { onProgress?: (p: FeatureProgress) => void; done: () => void } {
  if (!enabled) return { done: () => {} };
  return {
    onProgress: (p) => {
      const pct = p.percent === null ? '' : ` ${p.percent.toFixed(0)} %`;
      process.stderr.write(`\r\x1b[K${p.stage}… ${p.seconds.toFixed(0)} s${pct}${p.rows > 0 ? `  ${p.rows.toLocaleString('en')} rows` : ''}`);
    },
    done: () => process.stderr.write('\r\x1b[K'),
  };
}

/** The summary as text lines: issues (overlapping) and outcomes (adding up to the rows). */
export function summaryLines(s: FeatureSummary): string[] {
  const n = (x: number): string => x.toLocaleString('en');
  const e = s.outcome.excluded;
  const i = s.issues;
  return [
    `${n(s.rows)} lines read from ${s.input} (${s.span.first ?? '–'} … ${s.span.last ?? '–'}).`,
    `Issues (a line may have several): ${n(i.badDate)} bad or missing date, ${n(i.noCustomer)} without customer id, ${n(i.duplicate)} duplicate lines, ${n(i.badAmount)} bad amount, ${n(i.zeroAmount)} zero amount, ${n(i.cancelledInvoice)} cancellation invoices, ${n(i.negativeQuantity)} negative quantities, ${n(i.cancelledStatus)} cancelled-status lines.`,
    `Where they went: ${n(s.outcome.purchase)} purchases and ${n(s.outcome.return)} returns used (returns net the spend); excluded ${n(e.badDate)} bad date, ${n(e.noCustomer)} no customer, ${n(e.duplicate)} duplicate${s.duplicates === 'keep' ? ' (duplicates kept by the mapping)' : ''}, ${n(e.badAmount)} bad amount, ${n(e.cancelledStatus)} cancelled status, ${n(e.zeroAmount)} zero amount.`,
    `Used lines by period: ${n(s.period.history)} up to as-of, ${n(s.period.future)} in the horizon, ${n(s.period.later)} later (ignored).`,
    `${n(s.customers)} customers with a purchase up to as-of${s.newInHorizon === null ? '' : `; ${n(s.newInHorizon)} first bought in the horizon (not scored)`}. Columns: ${s.indicators.join(', ')}.`,
  ];
}

/**
 * Refuses a cut with no customer (an empty table is no result), saying why
 * from the summary: no usable purchase at all (the exclusions), or none up
 * to as-of (where the data lies).
 */
export function checkCustomers(s: FeatureSummary, asOf: string): void {
  if (s.customers > 0) return;
  const n = (x: number): string => x.toLocaleString('en');
  if (s.outcome.purchase > 0) {
    throw new DataError(`${s.input}: no customers: none of the ${n(s.outcome.purchase)} purchases is on or before as-of ${asOf} (used lines from ${s.span.first?.slice(0, 10)} to ${s.span.last?.slice(0, 10)})`);
  }
  if (s.rows === 0) throw new DataError(`${s.input}: no customers: no transaction lines below the header`);
  const e = s.outcome.excluded;
  const reasons = [
    [e.badDate, 'bad or missing date'], [e.noCustomer, 'without customer id'], [e.duplicate, 'duplicate'], [e.badAmount, 'bad amount'],
    [e.cancelledStatus, 'cancelled status'], [e.zeroAmount, 'zero amount'], [s.outcome.return, 'returns'],
  ] as const;
  const counts = reasons.filter(([count]) => count > 0).map(([count, label]) => `${n(count)} ${label}`).join(', ');
  const hint = e.badDate > 0 ? '; check the mapping\'s timestamp column and dateFormat' : '';
  throw new DataError(`${s.input}: no customers: none of the ${n(s.rows)} lines is a usable purchase (${counts}${hint})`);
}
