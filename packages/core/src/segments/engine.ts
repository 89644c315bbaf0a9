/**
 * The segment engine: a validated config whose rules are proven, at load, to
 * put every possible customer in exactly one segment; then `assign` places
 * real customers.
 */
import { invalidConfigError } from '../config-issues.js';
import { ConfigError, DataError } from '../errors.js';
import { parseJsonc } from '../indicators/jsonc.js';
import { isBlank } from '../indicators/source.js';
import { cellNumber } from '../number-text.js';
import type { CustomerClass } from '../method/classify.js';
import type { ScoredCustomer } from '../method/score-model.js';
import { ConditionCompiler, atomsOf, evaluate, type Expr, type Value, type VarKey } from './conditions.js';
import { describeProblems, provePartition, type PartitionProof } from './prove.js';
import { segmentConfigSchema, type LevelDef, type SegmentConfig, type SegmentDef } from './schema.js';

/** What the rules may read about one customer. Absent parts are an error only if a rule needs them. */
export interface SegmentSubject {
  /** Indicator scores 1–5 by indicator id. */
  scores?: Readonly<Record<string, number>>;
  K?: number;
  class?: CustomerClass;
  C?: number;
  band?: number;
  /** Raw columns (text as read from CSV, or numbers); empty text or null is "missing". */
  fields?: Readonly<Record<string, string | number | null | undefined>>;
}

export interface SegmentAssignment {
  segment: SegmentDef;
  level: LevelDef;
}

export interface SegmentEngine {
  readonly config: SegmentConfig;
  /** The partition proof run at load (always `ok` unless `requirePartition: false`). */
  readonly proof: PartitionProof;
  /** Indicator ids whose scores the rules read. */
  readonly indicators: readonly string[];
  /** Raw columns the rules read. */
  readonly fields: readonly string[];
  /** Which model outputs the rules read. */
  readonly needs: { readonly K: boolean; readonly class: boolean; readonly C: boolean; readonly band: boolean };
  /** Labels defined but never used, and levels without segments. */
  readonly warnings: readonly string[];
  /**
   * The one segment of a customer.
   * @param who names the customer in errors, e.g. `customers.csv, line 7`.
   * @throws DataError when a needed value is missing or not a number, or a
   *   value lies outside its domain (a score of 7) so no or several segments hold.
   */
  assign(subject: SegmentSubject, who?: string): SegmentAssignment;
}

export interface CompileSegmentsOptions {
  /** Name used in messages. @default "segments" */
  file?: string;
  /** Indicator ids of the model; a rule on any other score is a ConfigError. @default not checked */
  indicators?: readonly string[];
  /** Throw a ConfigError naming overlaps and gaps when the proof fails. @default true */
  requirePartition?: boolean;
  /** Passed to the proof. @default 2_000_000 */
  budget?: number;
}

/**
 * Validates a parsed segment config (applying defaults).
 * @throws ConfigError listing every problem with its path.
 */
export function validateSegmentConfig(value: unknown, file = 'segments'): SegmentConfig {
  const parsed = segmentConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw invalidConfigError(file, parsed.error);
  }
  return parsed.data;
}

function duplicates(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
}

function valueOf(subject: SegmentSubject, key: VarKey, who: string): Value | undefined {
  if (key.startsWith('score:')) return subject.scores?.[key.slice(6)];
  if (key.startsWith('field:')) {
    const column = key.slice(6);
    if (!subject.fields || !(column in subject.fields)) return undefined;
    const raw = subject.fields[column];
    if (isBlank(raw)) return null;
    const x = cellNumber(raw);
    if (!Number.isFinite(x)) throw new DataError(`${who}, column "${column}": the segment rules compare it with numbers, got ${JSON.stringify(raw)}`, { column });
    return x;
  }
  if (key === 'class') return subject.class;
  if (key === 'band') return subject.band;
  if (key === 'K') return subject.K;
  if (key === 'C') return subject.C;
  return undefined;
}

/**
 * Compiles and proves a segment config.
 *
 * @throws ConfigError for an invalid config, unknown labels, levels or
 *   indicators, label cycles, and (unless `requirePartition: false`) for rules
 *   that leave a customer in no segment or in several, naming each overlap and
 *   gap with an example customer.
 */
export function compileSegments(value: unknown, options: CompileSegmentsOptions = {}): SegmentEngine {
  const file = options.file ?? 'segments';
  const config = validateSegmentConfig(value, file);
  const dupSegments = duplicates(config.segments.map((s) => s.id));
  if (dupSegments.length) throw new ConfigError(`${file}: duplicate segment id(s): ${dupSegments.join(', ')}`, { path: 'segments' });
  const dupLevels = duplicates(config.levels.map((l) => l.id));
  if (dupLevels.length) throw new ConfigError(`${file}: duplicate level id(s): ${dupLevels.join(', ')}`, { path: 'levels' });
  const levels = new Map(config.levels.map((l) => [l.id, l]));
  config.segments.forEach((s, i) => {
    if (!levels.has(s.level)) {
      throw new ConfigError(`${file}: segment "${s.id}" is in level "${s.level}", which is not defined (levels: ${[...levels.keys()].join(', ')})`, { path: `segments.${i}.level` });
    }
  });

  const compiler = new ConditionCompiler(config.labels, file);
  const compiled: { id: string; def: SegmentDef; expr: Expr }[] = config.segments.map((def, i) => ({ id: def.id, def, expr: compiler.compile(def.when, `segments.${i}.when`) }));
  const warnings: string[] = [];
  config.labels.forEach((l, i) => {
    // Compile unused labels too, so their mistakes are reported.
    compiler.label(l.id, `labels.${i}`);
  });
  const unused = config.labels.filter((l) => !compiler.used.has(l.id)).map((l) => l.id);
  if (unused.length) warnings.push(`label(s) never used by a segment: ${unused.join(', ')}`);
  const empty = config.levels.filter((l) => !config.segments.some((s) => s.level === l.id)).map((l) => l.id);
  if (empty.length) warnings.push(`level(s) without segments: ${empty.join(', ')}`);

  const keys = [...new Set(compiled.flatMap((s) => atomsOf(s.expr).map((a) => a.key)))];
  const indicators = keys.filter((k) => k.startsWith('score:')).map((k) => k.slice(6));
  if (options.indicators) {
    const unknown = indicators.filter((i) => !options.indicators!.includes(i));
    if (unknown.length) {
      throw new ConfigError(`${file}: the rules read score(s) of ${unknown.map((u) => `"${u}"`).join(', ')}, which the model does not have (indicators: ${options.indicators.join(', ')})`);
    }
  }

  const proof = provePartition(compiled, options.budget === undefined ? {} : { budget: options.budget });
  if (!proof.ok && options.requirePartition !== false) {
    throw new ConfigError(`${file}: the segments do not put every customer in exactly one segment:\n  ${describeProblems(proof).join('\n  ')}`, { path: 'segments' });
  }

  return {
    config,
    proof,
    indicators,
    fields: keys.filter((k) => k.startsWith('field:')).map((k) => k.slice(6)),
    needs: { K: keys.includes('K'), class: keys.includes('class'), C: keys.includes('C'), band: keys.includes('band') },
    warnings,
    assign(subject, who = 'customer') {
      const get = (key: VarKey): Value | undefined => valueOf(subject, key, who);
      const hits = compiled.filter((s) => evaluate(s.expr, get, who));
      if (hits.length !== 1) {
        const shown = keys.map((k) => `${k.replace(/^(score|field):/, '')}=${String(get(k))}`).join(', ');
        throw new DataError(`${who}: ${hits.length === 0 ? 'no segment' : `${hits.length} segments (${hits.map((h) => h.id).join(', ')})`} for ${shown}; a value is outside its domain (scores 1–5, K in [0, 1], C in [1, 5])`);
      }
      const segment = hits[0]!.def;
      return { segment, level: levels.get(segment.level)! };
    },
  };
}

/**
 * Parses segment config text (JSON or JSONC) and compiles it.
 * @throws ConfigError for syntax errors and everything compileSegments rejects.
 */
export function parseSegments(text: string, options: CompileSegmentsOptions = {}): SegmentEngine {
  const file = options.file ?? 'segments';
  return compileSegments(parseJsonc(text, file), options);
}

/** The rule inputs of a scored customer (scores by indicator id), plus raw columns if the rules read any. */
export function subjectOf(customer: ScoredCustomer, indicators: readonly string[], fields?: SegmentSubject['fields']): SegmentSubject {
  const scores: Record<string, number> = {};
  indicators.forEach((id, j) => {
    scores[id] = customer.scores[j]!;
  });
  return { scores, K: customer.K, class: customer.class, C: customer.C, band: customer.band, ...(fields ? { fields } : {}) };
}
