/**
 * Indicator scores straight from the bytes of plain CSV lines: the bulk path
 * of `cvnet classify`. A million survey rows cost about 2 s through
 * per-line strings, a field array and a row object per customer; reading
 * the digits where they lie costs a fraction of that.
 *
 * It only takes what it reads exactly as the general path does (openCsv,
 * then scoreCustomers): fields plain or quoted within their line (CRM
 * exports often quote every field); ids, dates and categories of printable
 * ASCII without spaces (nothing to trim or decode), read with the core's own
 * functions; numbers in short decimal notation (at most 15 digits, no
 * exponent, so m / 10^k is the double Number() reads). Anything else in a
 * block — an empty or odd value, a quote inside a value, a quoted line
 * break, a ragged or blank line, a stray CR, a byte that is not UTF-8, a
 * value a rule refuses — and it
 * hands the whole block back (undefined), for the general path to score or
 * to report with its own error. So both paths give the same scores for every line, which the tests
 * check on files mixing both.
 */
import { isUtf8 } from 'node:buffer';
import type { Model } from '@cvnet/core/lean';
import { categoricalScore, numericScore, numericValue, scoringSystem, sourceColumns, type FittedIndicator, type ScoreMatrix } from '@cvnet/core/scoring';
import { cyrb64Ascii } from './id-table.js';
import { decimalAt } from './short-decimal.js';

/** How one indicator's score is made from the fields of a line. */
interface IndicatorPlan {
  readonly indicator: FittedIndicator;
  /** Numeric slots read (in the source's column order), or the one text slot of a date or category. */
  readonly slots: readonly number[];
  readonly combine: 'value' | 'sum' | 'count_positive' | 'date' | 'category';
}

/** A model compiled against one file header. */
export interface LinePlan {
  readonly width: number;
  readonly indicators: readonly string[];
  /** Per field: ID, SKIP, a numeric slot (≥ 0) or a text slot (TEXT - slot). */
  readonly fields: Int32Array;
  readonly numbers: number;
  /** Column name per text slot. */
  readonly texts: readonly string[];
  readonly plans: readonly IndicatorPlan[];
}

/** Lines of a block scored as indicator scores (a ScoreMatrix), with each row's line number. */
export interface ScoredLines {
  readonly matrix: ScoreMatrix;
  readonly lines: Float64Array<ArrayBuffer>;
  /** Each id's cyrb64 hash (two halves), taken from its bytes while they are at hand. */
  readonly hashes: Int32Array<ArrayBuffer>;
}

const QUOTE = 34;
const SKIP = -1;
const ID = -2;
/** Text slot t is field kind TEXT - t. */
const TEXT = -3;

/**
 * The plan for scoring lines of a file with this header, or undefined when
 * the model cannot score this file (the general path then says why, with
 * its own error) or reads one column two ways.
 */
export function linePlan(model: Model, header: readonly string[]): LinePlan | undefined {
  let system;
  try {
    system = scoringSystem(model, new Set(header));
  } catch {
    return undefined;
  }
  const fields = new Int32Array(header.length).fill(SKIP);
  const idField = header.indexOf(system.idColumn);
  if (idField < 0) return undefined;
  fields[idField] = ID;
  let numbers = 0;
  const texts: string[] = [];
  /** The field's slot, or undefined when the column is already read the other way (or is the id). */
  const slotOf = (column: string, text: boolean): number | undefined => {
    const f = header.indexOf(column);
    if (fields[f] === SKIP) fields[f] = text ? TEXT - texts.push(column) + 1 : numbers++;
    const kind = fields[f]!;
    if (text ? kind > TEXT : kind < 0) return undefined;
    return text ? TEXT - kind : kind;
  };
  const plans: IndicatorPlan[] = [];
  for (const indicator of system.indicators) {
    const { source, rule } = indicator;
    const combine = rule.type === 'categorical' ? 'category'
      : typeof source === 'string' || 'column' in source ? 'value'
      : 'sum' in source ? 'sum'
      : 'count_positive' in source ? 'count_positive' : 'date';
    const text = combine === 'category' || combine === 'date';
    const slots = sourceColumns(source).map((c) => slotOf(c, text));
    if (slots.some((s) => s === undefined)) return undefined;
    plans.push({ indicator, slots: slots as number[], combine });
  }
  return { width: header.length, indicators: system.indicators.map((i) => i.id), fields, numbers, texts, plans };
}

/** A number's score under the indicator's rule, or undefined for what the general path must judge (a likert value out of 1–5). */
function scoreOf(indicator: FittedIndicator, v: number): number | undefined {
  return indicator.rule.type === 'categorical' ? undefined : (numericScore(indicator.rule, v) ?? undefined);
}

/**
 * Scores the lines of `bytes` (whole lines; the first is line `firstLine`),
 * or undefined when any line needs the general path.
 */
export function scoreLines(plan: LinePlan, bytes: Buffer, firstLine: number): ScoredLines | undefined {
  // Bytes that are not UTF-8, even in a column no indicator reads, are the record reader's to refuse.
  if (!isUtf8(bytes)) return undefined;
  const { width, fields, plans, texts } = plan;
  const n = plans.length;
  const length = bytes.length;
  const numbers = new Float64Array(plan.numbers);
  // Where each text slot's value lies on the current line; the id takes the slot after them.
  const idSlot = texts.length;
  const textStart = new Int32Array(idSlot + 1);
  const textEnd = new Int32Array(idSlot + 1);
  // Rows take 40 bytes or more in practice; grown when they are shorter.
  let values = new Float64Array(n * (Math.ceil(length / 40) + 1));
  const ids: string[] = [];
  let lines = new Float64Array(values.length / n);
  let hashes = new Int32Array(2 * lines.length);
  let line = firstLine;
  let p = 0;
  for (; p < length; line++) {
    // One line: its fields, each parsed (or skipped) where it lies.
    let field = 0;
    let q = p;
    for (;;) {
      const kind = field < width ? fields[field]! : SKIP;
      if (bytes[q] === QUOTE) {
        // Quoted, on this line ("" is a quote inside; a line break inside is the general reader's).
        const from = ++q;
        let inner = false;
        for (;;) {
          const c = bytes[q];
          if (c === undefined || c === 10) return undefined;
          if (c !== QUOTE) q++;
          else if (bytes[q + 1] === QUOTE) {
            inner = true;
            q += 2;
          } else break;
        }
        const to = q++;
        if (kind !== SKIP) {
          if (inner || from === to) return undefined;
          if (kind >= 0) {
            if (decimalAt(bytes, from, to, numbers, kind) !== to) return undefined;
          } else {
            for (let i = from; i < to; i++) if (bytes[i]! < 33 || bytes[i]! > 126) return undefined;
            const slot = kind === ID ? idSlot : TEXT - kind;
            textStart[slot] = from;
            textEnd[slot] = to;
          }
        }
      } else if (kind >= 0) {
        // A plain number, the common case (whatever follows it must end the field: checked below).
        q = decimalAt(bytes, q, length, numbers, kind);
        if (q < 0) return undefined;
      } else if (kind !== SKIP) {
        // An id or a text: printable ASCII, no space, so nothing for trim or UTF-8 to change.
        const from = q;
        for (let c = bytes[q]; c !== undefined && c > 32 && c < 127 && c !== 44 && c !== QUOTE; c = bytes[++q]);
        if (q === from) return undefined;
        const slot = kind === ID ? idSlot : TEXT - kind;
        textStart[slot] = from;
        textEnd[slot] = q;
      } else {
        for (let c = bytes[q]; c !== undefined && c !== 44 && c !== 10 && c !== 13; c = bytes[++q]) {
          if (c === QUOTE) return undefined; // a quote inside a plain field: csv-parse judges it
        }
      }
      field++;
      const c = bytes[q];
      if (c === 44) {
        q++;
        continue;
      }
      // A line ends at LF, CR LF, or the end of the file's last line.
      if (c === 13) q++;
      if (q < length && bytes[q] !== 10) return undefined; // junk after a value, or a stray CR
      break;
    }
    p = q + 1;
    // Also refuses a blank line (one empty field): the general path skips it.
    // Every field read, the id's too (an empty one has returned already).
    if (field !== width) return undefined;
    const idStart = textStart[idSlot]!;
    const idEnd = textEnd[idSlot]!;
    const r = ids.length;
    if (r === lines.length) {
      values = grow(values);
      lines = grow(lines);
      hashes = grow(hashes);
    }
    for (let j = 0; j < n; j++) {
      const { indicator, slots, combine } = plans[j]!;
      let score: number | undefined;
      if (combine === 'value') score = scoreOf(indicator, numbers[slots[0]!]!);
      else if (combine === 'sum' || combine === 'count_positive') {
        // numericValue's order of additions, so the same doubles.
        let v = 0;
        for (const s of slots) v += combine === 'sum' ? numbers[s]! : numbers[s]! > 0 ? 1 : 0;
        score = scoreOf(indicator, v);
      } else {
        const t = slots[0]!;
        const text = bytes.toString('latin1', textStart[t]!, textEnd[t]!);
        if (indicator.rule.type === 'categorical') score = categoricalScore(indicator.rule, text) ?? undefined;
        else {
          // The core's own date reading; what it refuses, it reports on the general path.
          let days: number | null;
          try {
            days = numericValue(indicator.source, { [texts[t]!]: text }, { line, indicator: indicator.id });
          } catch {
            return undefined;
          }
          score = days === null ? undefined : scoreOf(indicator, days);
        }
      }
      if (score === undefined) return undefined;
      values[r * n + j] = score;
    }
    ids.push(bytes.toString('latin1', idStart, idEnd));
    cyrb64Ascii(bytes, idStart, idEnd, hashes, 2 * r);
    lines[r] = line;
  }
  const rows = ids.length;
  return { matrix: { ids, indicators: plan.indicators, values: values.subarray(0, rows * n) }, lines: lines.slice(0, rows), hashes: hashes.slice(0, 2 * rows) };
}

function grow<T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(array: T): T {
  const grown = new (array.constructor as new (length: number) => T)(2 * array.length);
  grown.set(array);
  return grown;
}
