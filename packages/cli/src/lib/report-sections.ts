/**
 * The report sections beyond the score, for `cvnet run` and `cvnet report`:
 * segments with their playbooks, permutation importance on the test set,
 * K-means clusters beside the classes, and the data-quality decisions. Each
 * is rendered by its core module; this file only chooses what to compute.
 */
import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  OptionsError,
  applyQuality,
  clusterCustomers,
  permutationImportance,
  renderClusterSection,
  renderImportanceSection,
  renderQualitySection,
  renderSegmentsSection,
  parseJsonc,
  subjectOf,
  summarizeSegments,
  validateQualityConfig,
  type CustomerRow,
  type Engine,
  type Model,
  type QualityConfig,
  type QualityReport,
  type ScoredCustomer,
} from '@cvnet/core';
import { DataError } from '@cvnet/core/data';
import { loadSegmentMap } from './beyond-input.js';
import { inFile } from './file-rows.js';

/** Clusters in the report when --clusters is not given. */
export const DEFAULT_CLUSTERS = 4;

/**
 * Reads a data-quality policy (JSON/JSONC). A policy without `idColumn`
 * uses the project config's id column, so one policy file need not repeat it.
 *
 * @throws ConfigError naming the file.
 */
export async function loadQualityPolicy(path: string, idColumn: string): Promise<QualityConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(error.code === 'ENOENT' ? `${path}: quality policy not found` : `${path}: cannot read (${error.message})`);
  });
  let value = parseJsonc(text, path);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('idColumn' in value)) value = { ...value, idColumn };
  return validateQualityConfig(value, path);
}

export interface CleanRows {
  rows: CustomerRow[];
  lines: number[];
  report: QualityReport;
}

/**
 * Applies a quality policy to the rows of `path`; errors name the file.
 * Decisions go to stderr as one line each (they never name a customer).
 */
export function cleanRows(path: string, rows: readonly CustomerRow[], lines: readonly number[], policy: QualityConfig): CleanRows {
  const r = inFile(path, DataError, () => applyQuality(rows, policy, { lines: [...lines] }));
  for (const d of r.report.decisions) process.stderr.write(`Data quality: ${d}\n`);
  return r;
}

export interface SectionInput {
  engine: Engine;
  model: Model;
  customers: readonly ScoredCustomer[];
  /** Raw rows of the customers (for segment rules on raw columns), same order. */
  rows?: readonly CustomerRow[];
  /** Segment map: value17, rfm or a file. @default value17 when the indicators allow, else rfm, else no section */
  segments?: string;
  /** Clusters for the K-means section; 0 leaves it out. @default 4 */
  clusters?: number;
  /** Seed of the shuffles and the k-means++ draws (the config's seed). */
  seed: number;
  /** The labelled test part, for permutation importance (only a fresh run has it). */
  test?: { scores: readonly (readonly number[])[]; target: readonly number[] };
  quality?: QualityReport;
  /** How flagged customers are named in the quality section; absent → by line only. */
  showId?: (id: string) => string;
}

export interface Sections {
  html: string[];
  /** Notes for the report's warnings (a section that could not be drawn). */
  notes: string[];
}

/**
 * Renders the sections.
 * @throws ConfigError for a bad --segments map; OptionsError for --clusters above the number of customers.
 */
export async function reportSections(input: SectionInput): Promise<Sections> {
  const { model, customers } = input;
  const indicators = model.inputs.names;
  const names = Object.fromEntries((model.method?.system.indicators ?? []).map((i) => [i.id, i.name]));
  const html: string[] = [];
  const notes: string[] = [];
  if (input.quality) html.push(renderQualitySection(input.quality, input.showId ? { showId: input.showId } : {}));

  let map;
  try {
    map = await loadSegmentMap(input.segments, indicators);
  } catch (error) {
    // Only the automatic choice may come up empty: a map the user named must load.
    if (input.segments !== undefined || !(error instanceof ConfigError)) throw error;
    notes.push(`no segments section: ${error.message}`);
  }
  if (map) {
    const missing = map.fields.filter((f) => !input.rows || !(f in (input.rows[0] ?? {})));
    if (missing.length) throw new DataError(`the segment map "${map.config.name}" reads column(s) ${missing.map((f) => `"${f}"`).join(', ')}, which the customer rows lack`, { column: missing[0] });
    const assigned = customers.map((c, i) => ({ segment: map.assign(subjectOf(c, indicators, input.rows?.[i])).segment.id, K: c.K, C: c.C }));
    html.push(renderSegmentsSection(summarizeSegments(map, assigned), map.config.levels));
  }

  if (input.test && input.test.target.length >= 2) {
    html.push(renderImportanceSection(permutationImportance(input.engine, model, input.test.scores, input.test.target, { seed: input.seed }), names));
  }

  const k = input.clusters ?? DEFAULT_CLUSTERS;
  if (k > 0) {
    if (k > customers.length) {
      if (input.clusters !== undefined) throw new OptionsError(`--clusters ${k} is more than the ${customers.length} customers`);
      notes.push(`no clusters section: ${customers.length} customer(s) are fewer than ${k} clusters`);
    } else {
      html.push(renderClusterSection(clusterCustomers(indicators, customers, { k, seed: input.seed, ranges: model.inputs }), names));
    }
  }
  return { html, notes };
}
