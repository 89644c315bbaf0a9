/**
 * Migration between two scoring runs: who moved from which class (and
 * segment) to which, how much value moved with them, and who moved down.
 */
import { DataError } from '../errors.js';
import { CLASSES, type CustomerClass } from '../method/classify.js';

/** One customer of one run (a row of `cvnet classify` / `cvnet segment` output). */
export interface RunCustomer {
  id: string;
  class: CustomerClass;
  K?: number;
  C?: number;
  segment?: string;
}

export interface TransitionMatrix {
  /** Row and column labels (before = rows, after = columns). */
  labels: string[];
  /** counts[i][j]: customers in labels[i] before and labels[j] after. */
  counts: number[][];
  /** Σ value before / after of the customers in each cell (0 when no value is known). */
  valueBefore: number[][];
  valueAfter: number[][];
}

export interface MovedCustomer {
  id: string;
  from: CustomerClass;
  to: CustomerClass;
  valueBefore?: number;
  valueAfter?: number;
}

export interface MigrationReport {
  /** Which value is summed: K when both runs have it, else C, else none. */
  value: 'K' | 'C' | null;
  customers: { before: number; after: number; both: number; entered: number; left: number };
  /** Classes of the customers only in the later run / only in the earlier run. */
  entered: Record<CustomerClass, number>;
  left: Record<CustomerClass, number>;
  classes: TransitionMatrix;
  /** Present when both runs have a segment for every customer. */
  segments?: TransitionMatrix;
  up: number;
  stayed: number;
  down: number;
  /** Everyone whose class got worse, largest drop first (then largest value loss). */
  movedDown: MovedCustomer[];
}

export interface CompareOptions {
  /** Segment ids in display order (e.g. the config's); others follow in order of appearance. */
  segmentOrder?: readonly string[];
}

const zeros = (): Record<CustomerClass, number> => ({ A: 0, B: 0, C: 0, D: 0 });
const square = (n: number): number[][] => Array.from({ length: n }, () => new Array<number>(n).fill(0));

function index(run: readonly RunCustomer[], name: string): Map<string, RunCustomer> {
  const m = new Map<string, RunCustomer>();
  run.forEach((c, i) => {
    if (m.has(c.id)) throw new DataError(`${name}: customer id ${JSON.stringify(c.id)} appears twice (customer ${i + 1})`);
    m.set(c.id, c);
  });
  return m;
}

/**
 * Compares two runs by customer id.
 * @throws DataError for a repeated id within a run.
 */
export function compareRuns(before: readonly RunCustomer[], after: readonly RunCustomer[], options: CompareOptions = {}): MigrationReport {
  const a = index(before, 'before');
  const b = index(after, 'after');
  const has = (run: readonly RunCustomer[], key: 'K' | 'C'): boolean => run.length > 0 && run.every((c) => c[key] !== undefined && Number.isFinite(c[key]));
  const value = has(before, 'K') && has(after, 'K') ? 'K' : has(before, 'C') && has(after, 'C') ? 'C' : null;
  const val = (c: RunCustomer): number => (value === null ? 0 : c[value]!);
  const pairs = [...a.values()].flatMap((x) => {
    const y = b.get(x.id);
    return y ? [[x, y] as const] : [];
  });
  const matrix = (labels: string[], key: (c: RunCustomer) => string): TransitionMatrix => {
    const pos = new Map(labels.map((l, i) => [l, i]));
    const t: TransitionMatrix = { labels, counts: square(labels.length), valueBefore: square(labels.length), valueAfter: square(labels.length) };
    for (const [x, y] of pairs) {
      const i = pos.get(key(x))!;
      const j = pos.get(key(y))!;
      t.counts[i]![j]!++;
      t.valueBefore[i]![j]! += val(x);
      t.valueAfter[i]![j]! += val(y);
    }
    return t;
  };
  const classes = matrix([...CLASSES], (c) => c.class);
  let segments: TransitionMatrix | undefined;
  if (before.length > 0 && after.length > 0 && [...before, ...after].every((c) => c.segment !== undefined && c.segment !== '')) {
    const seen = [...new Set([...(options.segmentOrder ?? []), ...before.map((c) => c.segment!), ...after.map((c) => c.segment!)])];
    const used = new Set([...before, ...after].map((c) => c.segment!));
    segments = matrix(seen.filter((s) => used.has(s)), (c) => c.segment!);
  }
  const rank = (c: CustomerClass): number => CLASSES.indexOf(c);
  let up = 0;
  let stayed = 0;
  const movedDown: MovedCustomer[] = [];
  for (const [x, y] of pairs) {
    const d = rank(y.class) - rank(x.class);
    if (d < 0) up++;
    else if (d === 0) stayed++;
    else movedDown.push({ id: x.id, from: x.class, to: y.class, ...(value ? { valueBefore: val(x), valueAfter: val(y) } : {}) });
  }
  movedDown.sort((p, q) => rank(q.to) - rank(q.from) - (rank(p.to) - rank(p.from)) || (q.valueBefore ?? 0) - (q.valueAfter ?? 0) - ((p.valueBefore ?? 0) - (p.valueAfter ?? 0)) || (p.id < q.id ? -1 : 1));
  const entered = zeros();
  const left = zeros();
  for (const y of b.values()) if (!a.has(y.id)) entered[y.class]++;
  for (const x of a.values()) if (!b.has(x.id)) left[x.class]++;
  return {
    value,
    customers: { before: a.size, after: b.size, both: pairs.length, entered: b.size - pairs.length, left: a.size - pairs.length },
    entered,
    left,
    classes,
    ...(segments ? { segments } : {}),
    up,
    stayed,
    down: movedDown.length,
    movedDown,
  };
}
