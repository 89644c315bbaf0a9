/**
 * Segments in the API: which segment map the server uses (a shipped one by
 * name, or a map config from a file or binding), compiled and proven once per
 * model when the model is loaded, and the segment and level of every scored
 * customer.
 */
import {
  BUILTIN_SEGMENTS, ConfigError, DataError, compileSegments, fittingBuiltinSegments, stripJsonComments, subjectOf,
  type CustomerRow, type Model, type ScoredBatch, type SegmentEngine,
} from '@cvnet/core';
import { pointer, type FieldIssue } from './problem.js';

/** The server's choice of segment map, before it meets a model. */
export interface SegmentsSetting {
  /** Names the map in messages: a shipped map's name, or the file or binding it came from. */
  source: string;
  /** The map (parsed JSON); checked and proven again against each model's indicators. */
  config: unknown;
  /** The shipped map's name (`value17`, `rfm`); absent for a map of your own. */
  builtin?: string;
}

/** A map compiled for one model. */
export interface SegmentMap {
  engine: SegmentEngine;
  /** The shipped map's name, or null for a map of your own. */
  builtin: string | null;
}

/**
 * A segment setting from a shipped map's name, a map as JSON/JSONC text, or
 * a map as an already parsed object. The map is validated and proven here,
 * so a bad map stops the server at start-up rather than at the first model.
 *
 * @param source names the map in messages (file path, binding name).
 * @throws ConfigError for invalid JSON, an invalid map or one that is not a partition.
 */
export function segmentsSetting(value: unknown, source: string): SegmentsSetting {
  if (typeof value === 'string' && Object.hasOwn(BUILTIN_SEGMENTS, value.trim())) {
    const name = value.trim();
    return { source: `segment map "${name}"`, config: BUILTIN_SEGMENTS[name], builtin: name };
  }
  let config = value;
  if (typeof value === 'string') {
    try {
      config = JSON.parse(stripJsonComments(value));
    } catch (error) {
      throw new ConfigError(
        `${source}: neither a shipped segment map (${Object.keys(BUILTIN_SEGMENTS).join(', ')}) nor valid JSON (${(error as Error).message})`,
      );
    }
  }
  compileSegments(config, { file: source });
  return { source, config };
}

/**
 * The segment map for a model: the configured one, checked against the
 * model's indicators; without a setting, the first shipped map the
 * indicators allow (value17, then rfm), or undefined when none does.
 *
 * @throws ConfigError when the configured map reads scores the model does not have.
 */
export function segmentMapFor(model: Model, setting: SegmentsSetting | undefined): SegmentMap | undefined {
  const indicators = model.inputs.names;
  if (setting !== undefined) {
    return { engine: compileSegments(setting.config, { file: setting.source, indicators }), builtin: setting.builtin ?? null };
  }
  const fitting = fittingBuiltinSegments(indicators);
  return fitting === undefined ? undefined : { engine: fitting.engine, builtin: fitting.name };
}

/** What GET /v1/model says about the map: enough for a client to name, describe and act on every segment. */
export function segmentsInfo(map: SegmentMap | undefined): Record<string, unknown> | null {
  if (map === undefined) return null;
  const { config } = map.engine;
  return {
    builtin: map.builtin,
    name: config.name,
    ...(config.description === undefined ? {} : { description: config.description }),
    levels: config.levels.map((l) => ({ id: l.id, name: l.name, ...(l.description === undefined ? {} : { description: l.description }) })),
    segments: config.segments.map((s) => ({ id: s.id, name: s.name, level: s.level, description: s.description, playbook: s.playbook })),
  };
}

/** Segment and level ids of one customer; null when the model has no segment map. */
export interface SegmentIds {
  segment: string | null;
  level: string | null;
}

/**
 * The segment of every customer of a scored batch, or the issues that stop
 * it (a raw column the map reads that a customer lacks or that is not a
 * number), each located by `where`.
 */
export function assignSegments(
  map: SegmentMap | undefined,
  batch: ScoredBatch,
  rows: readonly CustomerRow[],
  where: (index: number) => { path: (string | number)[]; line?: number },
): { ids: SegmentIds[]; issues: FieldIssue[] } {
  if (map === undefined) return { ids: batch.customers.map(() => ({ segment: null, level: null })), issues: [] };
  const who = 'customer';
  const reads = map.engine.fields.length > 0;
  const issues: FieldIssue[] = [];
  const ids = batch.customers.map((c, i): SegmentIds => {
    try {
      const { segment, level } = map.engine.assign(subjectOf(c, batch.indicators, reads ? rows[i] : undefined), who);
      return { segment: segment.id, level: level.id };
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      const at = where(i);
      // The engine's messages start with `who` then ": " or ", column …"; the pointer says who.
      const detail = error.message.startsWith(who) ? error.message.slice(who.length).replace(/^[:,] /, '') : error.message;
      issues.push({ pointer: pointer([...at.path, ...(error.column === undefined ? [] : [error.column])]), detail, ...(at.line === undefined ? {} : { line: at.line }) });
      return { segment: null, level: null };
    }
  });
  return { ids, issues };
}
