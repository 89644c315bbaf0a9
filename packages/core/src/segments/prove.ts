/**
 * Proof that segments partition every possible customer.
 *
 * Each variable the rules read is cut into the few regions its conditions can
 * tell apart (a score 1–5 with only "≥ 4" tests has two: {1,2,3} and {4,5};
 * a real value is cut at every number it is compared with). Every customer
 * falls in exactly one combination of regions, and every condition has one
 * answer per combination, so checking one representative per combination is
 * a proof. The combinations are searched depth first with three-valued
 * logic: as soon as every segment's answer is known, the rest of the
 * variables cannot change it and the whole sub-product is settled at once.
 *
 * Variables are treated as independent (a superset of the customers that can
 * really occur: K and class, or C and the R/F/M scores, are in fact linked).
 * A partition of the superset is a partition of the real customers; a
 * reported gap or overlap may, for rules mixing linked variables, be one that
 * no real customer hits — write such rules on one of the two variables.
 */
import { ConfigError } from '../errors.js';
import { atomsOf, evaluate3, varName, type Atom, type Expr, type Value, type VarKey } from './conditions.js';

/** The values of a variable, one per region, in ascending order. */
export function regionsOf(key: VarKey, atoms: readonly Atom[]): Value[] {
  let candidates: Value[];
  if (key.startsWith('score:') || key === 'band') candidates = [1, 2, 3, 4, 5];
  else if (key === 'class') candidates = ['A', 'B', 'C', 'D'];
  else {
    const [lo, hi] = key === 'K' ? [0, 1] : key === 'C' ? [1, 5] : [undefined, undefined];
    let points = [...new Set(atoms.flatMap((a) => a.points))].sort((a, b) => a - b);
    if (lo !== undefined && hi !== undefined) points = [...new Set([lo, hi, ...points.filter((p) => p >= lo && p <= hi)])].sort((a, b) => a - b);
    else if (points.length === 0) points = [0];
    else points = [points[0]! - 1, ...points, points[points.length - 1]! + 1];
    candidates = points.flatMap((p, i) => (i === 0 ? [p] : [(points[i - 1]! + p) / 2, p]));
    if (key.startsWith('field:')) candidates.push(null);
  }
  // Values every test treats alike form one region; keep the first of each.
  // An empty field stays a region of its own so a gap there is named as such.
  const seen = new Set<string>();
  return candidates.filter((v) => {
    if (v === null) return true;
    const signature = atoms.map((a) => (a.test(v) ? '1' : '0')).join('');
    if (seen.has(signature)) return false;
    seen.add(signature);
    return true;
  });
}

/** One example customer: a value for every variable that decides the case. */
export type Example = readonly (readonly [VarKey, Value])[];

export interface PartitionProblem {
  /** Segment ids containing the example: none for a gap, two or more for an overlap. */
  segments: string[];
  example: Example;
  /** How many combinations of regions show this problem. */
  cases: number;
}

export interface PartitionProof {
  /** Every possible customer is in exactly one segment. */
  ok: boolean;
  /** Variables and the number of regions each is cut into. */
  variables: { key: VarKey; regions: number }[];
  /** Combinations settled (leaves of the search). */
  cases: number;
  overlaps: PartitionProblem[];
  /** The first few gaps found (one case each). */
  gaps: PartitionProblem[];
  /** Combinations in no segment. */
  gapCases: number;
}

export interface ProveOptions {
  /**
   * Stop with a ConfigError after visiting this many combinations.
   * @default 2_000_000
   */
  budget?: number;
}

/** `recency = 3, Income empty` */
export function describeExample(example: Example): string {
  if (example.length === 0) return 'any customer';
  return example.map(([k, v]) => (v === null ? `${varName(k)} empty` : `${varName(k)} = ${typeof v === 'number' ? Number(v.toPrecision(8)) : v}`)).join(', ');
}

/**
 * Checks that exactly one of `segments` holds for every possible customer.
 *
 * @throws ConfigError when the rules cut the domain into more combinations
 *   than the budget allows.
 */
export function provePartition(segments: readonly { id: string; expr: Expr }[], options: ProveOptions = {}): PartitionProof {
  const budget = options.budget ?? 2_000_000;
  const atomsBySegment = segments.map((s) => atomsOf(s.expr));
  const all = atomsBySegment.flat();
  const uses = new Map<VarKey, number>();
  for (const a of all) uses.set(a.key, (uses.get(a.key) ?? 0) + 1);
  // Most-tested variables first: they settle the most segments earliest.
  const order = [...uses.keys()].sort((a, b) => uses.get(b)! - uses.get(a)! || (a < b ? -1 : 1));
  const regions = new Map(order.map((k) => [k, regionsOf(k, all.filter((a) => a.key === k))]));
  const varsOf = atomsBySegment.map((atoms) => new Set(atoms.map((a) => a.key)));

  const assigned = new Map<VarKey, Value>();
  const get = (k: VarKey): Value | undefined => assigned.get(k);
  const overlaps = new Map<string, PartitionProblem>();
  const gaps: PartitionProblem[] = [];
  let gapCases = 0;
  let cases = 0;
  let visited = 0;

  const visit = (): void => {
    if (++visited > budget) {
      throw new ConfigError(`the segment rules cut customers into more than ${budget} combinations to check; use fewer distinct thresholds per variable or fewer variables`);
    }
    const states = segments.map((s) => evaluate3(s.expr, get));
    const open = states.flatMap((v, i) => (v === undefined ? [i] : []));
    if (open.length === 0) {
      cases++;
      const inside = states.flatMap((v, i) => (v ? [segments[i]!.id] : []));
      const example: Example = order.filter((k) => assigned.has(k)).map((k) => [k, assigned.get(k)!] as const);
      if (inside.length === 0) {
        gapCases++;
        if (gaps.length < 5) gaps.push({ segments: [], example, cases: 1 });
      } else if (inside.length > 1) {
        const key = inside.join('\u0000');
        const known = overlaps.get(key);
        if (known) known.cases++;
        else overlaps.set(key, { segments: inside, example, cases: 1 });
      }
      return;
    }
    // Branch on the first variable an undecided segment still reads.
    const next = order.find((k) => !assigned.has(k) && open.some((i) => varsOf[i]!.has(k)))!;
    for (const v of regions.get(next)!) {
      assigned.set(next, v);
      visit();
    }
    assigned.delete(next);
  };
  visit();

  return {
    ok: overlaps.size === 0 && gapCases === 0,
    variables: order.map((key) => ({ key, regions: regions.get(key)!.length })),
    cases,
    overlaps: [...overlaps.values()],
    gaps,
    gapCases,
  };
}

/** The problems of a failed proof, one line each. */
export function describeProblems(proof: PartitionProof, limit = 10): string[] {
  const lines = proof.overlaps
    .slice(0, limit)
    .map((o) => `overlap: ${o.segments.map((s) => `"${s}"`).join(' and ')} all contain e.g. ${describeExample(o.example)}${o.cases > 1 ? ` (${o.cases} cases)` : ''}`);
  proof.gaps.slice(0, limit).forEach((g, i) => {
    lines.push(`gap: no segment contains e.g. ${describeExample(g.example)}${i === 0 && proof.gapCases > 1 ? ` (${proof.gapCases} uncovered cases in all)` : ''}`);
  });
  if (proof.overlaps.length > limit) lines.push(`… and ${proof.overlaps.length - limit} more overlaps`);
  return lines;
}
