/**
 * Conditions compiled to expressions over a few variables (an indicator
 * score, class, band, K, C or a raw field), evaluated in three-valued logic
 * so the partition proof can decide a segment before every variable is fixed.
 */
import { ConfigError, DataError } from '../errors.js';
import type { Condition, LabelDef } from './schema.js';

/** A variable a condition reads: `score:<indicator>`, `class`, `band`, `K`, `C` or `field:<column>`. */
export type VarKey = string;
/** A variable's value; `null` is an empty raw field. */
export type Value = number | string | null;

export interface Atom {
  readonly key: VarKey;
  /** Numbers the test compares with (cut points of the variable's domain). */
  readonly points: readonly number[];
  test(v: Value): boolean;
  /** Human-readable, for messages. */
  readonly text: string;
}

export type Expr =
  | { readonly t: 'atom'; readonly atom: Atom }
  | { readonly t: 'all' | 'any'; readonly xs: readonly Expr[] }
  | { readonly t: 'not'; readonly x: Expr };

interface Bounds {
  gte?: number | undefined;
  gt?: number | undefined;
  lte?: number | undefined;
  lt?: number | undefined;
  eq?: number | undefined;
}

function boundsTest(b: Bounds): (v: number) => boolean {
  return (v) =>
    (b.gte === undefined || v >= b.gte) &&
    (b.gt === undefined || v > b.gt) &&
    (b.lte === undefined || v <= b.lte) &&
    (b.lt === undefined || v < b.lt) &&
    (b.eq === undefined || v === b.eq);
}

function boundsText(name: string, b: Bounds): string {
  const parts: string[] = [];
  if (b.eq !== undefined) parts.push(`${name} = ${b.eq}`);
  if (b.gte !== undefined) parts.push(`${name} ≥ ${b.gte}`);
  if (b.gt !== undefined) parts.push(`${name} > ${b.gt}`);
  if (b.lte !== undefined) parts.push(`${name} ≤ ${b.lte}`);
  if (b.lt !== undefined) parts.push(`${name} < ${b.lt}`);
  return parts.join(' and ');
}

const boundPoints = (b: Bounds): number[] => [b.gte, b.gt, b.lte, b.lt, b.eq].filter((x): x is number => x !== undefined);

const isNum = (v: Value): v is number => typeof v === 'number';

/** An atom's name of a variable, for messages. */
export function varName(key: VarKey): string {
  return key.startsWith('score:') || key.startsWith('field:') ? key.slice(6) : key;
}

function atomOf(c: Exclude<Condition, string | { all: Condition[] } | { any: Condition[] } | { not: Condition }>): Atom {
  if ('score' in c) {
    const inside = boundsTest(c);
    const set = c.in ? new Set(c.in) : undefined;
    const textParts = [c.in ? `${c.score} ∈ {${c.in.join(', ')}}` : '', boundsText(c.score, c)].filter(Boolean);
    return { key: `score:${c.score}`, points: [...boundPoints(c), ...(c.in ?? [])], test: (v) => isNum(v) && inside(v) && (!set || set.has(v)), text: textParts.join(' and ') };
  }
  if ('class' in c) {
    const set = new Set<Value>(c.class);
    return { key: 'class', points: [], test: (v) => set.has(v), text: `class ∈ {${c.class.join(', ')}}` };
  }
  if ('band' in c) {
    const set = new Set<Value>(c.band);
    return { key: 'band', points: [], test: (v) => set.has(v), text: `band ∈ {${c.band.join(', ')}}` };
  }
  if ('value' in c) {
    const inside = boundsTest(c);
    return { key: c.value, points: boundPoints(c), test: (v) => isNum(v) && inside(v), text: boundsText(c.value, c) };
  }
  if (c.missing !== undefined) {
    const want = c.missing;
    return { key: `field:${c.field}`, points: [], test: (v) => (v === null) === want, text: `${c.field} is ${want ? '' : 'not '}empty` };
  }
  const inside = boundsTest(c);
  return { key: `field:${c.field}`, points: boundPoints(c), test: (v) => isNum(v) && inside(v), text: boundsText(c.field, c) };
}

/**
 * Compiles conditions, resolving label references (which may refer to other
 * labels) and rejecting unknown labels and cycles.
 */
export class ConditionCompiler {
  private readonly labels = new Map<string, { def: LabelDef; index: number }>();
  private readonly compiled = new Map<string, Expr>();
  private readonly active: string[] = [];
  /** Labels referenced at least once. */
  readonly used = new Set<string>();

  constructor(labels: readonly LabelDef[], private readonly file: string) {
    labels.forEach((def, index) => {
      if (this.labels.has(def.id)) throw new ConfigError(`${file}: label "${def.id}" is defined twice`, { path: `labels.${index}.id` });
      this.labels.set(def.id, { def, index });
    });
  }

  /** The expression of label `id`. */
  label(id: string, path: string): Expr {
    const done = this.compiled.get(id);
    if (done) return done;
    const entry = this.labels.get(id);
    if (!entry) {
      const known = [...this.labels.keys()];
      throw new ConfigError(`${this.file}: ${path} refers to label "${id}", which is not defined${known.length ? ` (labels: ${known.join(', ')})` : ' (there are no labels)'}`, { path });
    }
    if (this.active.includes(id)) {
      throw new ConfigError(`${this.file}: labels refer to each other in a cycle: ${[...this.active.slice(this.active.indexOf(id)), id].join(' → ')}`, { path: `labels.${entry.index}.when` });
    }
    this.active.push(id);
    const expr = this.compile(entry.def.when, `labels.${entry.index}.when`);
    this.active.pop();
    this.compiled.set(id, expr);
    return expr;
  }

  compile(c: Condition, path: string): Expr {
    if (typeof c === 'string') {
      const negated = c.startsWith('!');
      const id = negated ? c.slice(1) : c;
      this.used.add(id);
      const x = this.label(id, path);
      return negated ? { t: 'not', x } : x;
    }
    if ('all' in c) return { t: 'all', xs: c.all.map((x, i) => this.compile(x, `${path}.all.${i}`)) };
    if ('any' in c) return { t: 'any', xs: c.any.map((x, i) => this.compile(x, `${path}.any.${i}`)) };
    if ('not' in c) return { t: 'not', x: this.compile(c.not, `${path}.not`) };
    return { t: 'atom', atom: atomOf(c) };
  }
}

/** Every atom of an expression. */
export function atomsOf(e: Expr, out: Atom[] = []): Atom[] {
  if (e.t === 'atom') out.push(e.atom);
  else if (e.t === 'not') atomsOf(e.x, out);
  else for (const x of e.xs) atomsOf(x, out);
  return out;
}

/**
 * Kleene three-valued evaluation: `undefined` when the answer depends on a
 * variable `get` does not know yet.
 */
export function evaluate3(e: Expr, get: (key: VarKey) => Value | undefined): boolean | undefined {
  switch (e.t) {
    case 'atom': {
      const v = get(e.atom.key);
      return v === undefined ? undefined : e.atom.test(v);
    }
    case 'not': {
      const v = evaluate3(e.x, get);
      return v === undefined ? undefined : !v;
    }
    case 'all': {
      let unknown = false;
      for (const x of e.xs) {
        const v = evaluate3(x, get);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'any': {
      let unknown = false;
      for (const x of e.xs) {
        const v = evaluate3(x, get);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
  }
}

/**
 * Two-valued evaluation on a real customer.
 *
 * @throws DataError when a variable the condition needs is not available.
 */
export function evaluate(e: Expr, get: (key: VarKey) => Value | undefined, who: string): boolean {
  const v = evaluate3(e, (key) => {
    const x = get(key);
    if (x === undefined) throw new DataError(`${who}: the segment rules need ${describeVar(key)}, which this customer does not have`, { column: varName(key) });
    return x;
  });
  return v!;
}

/** What a variable is, for messages. */
export function describeVar(key: VarKey): string {
  if (key.startsWith('score:')) return `the score of indicator "${key.slice(6)}"`;
  if (key.startsWith('field:')) return `the raw column "${key.slice(6)}"`;
  return { class: 'the class (A–D)', band: 'the band of C', K: 'the value K', C: 'the current value C' }[key] ?? key;
}
