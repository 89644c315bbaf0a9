/**
 * Segments and explanations in the app, in process: the segment map chosen
 * per model (default, shipped by name, your own), hand-checked RFM cells,
 * PUT refusing a model the configured map cannot read, the worker's binding
 * forms, and explain=true.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_SEGMENTS, ConfigError, defaultConfig, generateSurvey, loadEngine, serializeModel, trainCustomerValue, type Engine, type Model,
} from '@cvnet/core';
import { createApp } from './app.js';
import { loadModelState, ModelStore } from './model-state.js';
import { segmentMapFor, segmentsSetting, type SegmentsSetting } from './segments.js';

const ADMIN = 'admin-token-0123456789';
let engine: Engine;
let model: Model;
let indicators: string[];

beforeAll(async () => {
  engine = await loadEngine();
  const config = { ...defaultConfig(), seed: 3, training: { ...defaultConfig().training, epochs: 5 } };
  ({ model } = trainCustomerValue(engine, config, generateSurvey({ customers: 120, seed: 3 }) as never));
  indicators = [...model.inputs.names];
});

/** The model with indicator `from` renamed `to` everywhere it is named. */
function renamed(from: string, to: string): unknown {
  return JSON.parse(serializeModel(model).replaceAll(`"${from}"`, `"${to}"`));
}

async function appWith(segments?: SegmentsSetting) {
  const options = segments === undefined ? {} : { segments };
  const store = new ModelStore(await loadModelState(engine, JSON.parse(serializeModel(model)), 'model', options));
  return createApp({ engine, store, adminToken: ADMIN, ...options });
}

const customer = (id: string, score: number, extra: Record<string, number | string> = {}) => ({ id, ...Object.fromEntries(indicators.map((i) => [i, score])), ...extra });

async function score(app: Awaited<ReturnType<typeof appWith>>, body: unknown, query = '') {
  const response = await app.request(`/v1/score${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('segment map choice', () => {
  it('defaults to value17 for the study indicators, rfm when only recency and frequency fit, none otherwise', () => {
    expect(segmentMapFor(model, undefined)?.builtin).toBe('value17');
    const rfmOnly = { ...model, inputs: { ...model.inputs, names: ['recency', 'frequency', 'x'] } };
    expect(segmentMapFor(rfmOnly, undefined)?.builtin).toBe('rfm');
    expect(segmentMapFor({ ...model, inputs: { ...model.inputs, names: ['a', 'b'] } }, undefined)).toBeUndefined();
  });

  it('reads a shipped name, JSON text, JSONC text or an object, and refuses bad JSON and non-partitions', () => {
    expect(segmentsSetting(' rfm ', 'binding').builtin).toBe('rfm');
    const two = {
      name: 'Two', levels: [{ id: 'all', name: 'All' }],
      segments: [
        { id: 'top', name: 'Top', level: 'all', when: { class: ['A'] }, description: 'A.', playbook: 'Keep.' },
        { id: 'rest', name: 'Rest', level: 'all', when: { class: ['B', 'C', 'D'] }, description: 'B–D.', playbook: 'Grow.' },
      ],
    };
    expect(segmentsSetting(JSON.stringify(two), 'f.json').config).toEqual(two);
    expect(segmentsSetting(`// mine\n${JSON.stringify(two)}`, 'f.json').config).toEqual(two);
    expect(segmentsSetting(two, 'var').builtin).toBeUndefined();
    expect(() => segmentsSetting('value18', 'CVNET_SEGMENTS')).toThrow(/CVNET_SEGMENTS: neither a shipped segment map \(value17, rfm\) nor valid JSON/);
    const gap = { ...two, segments: [two.segments[0]] };
    expect(() => segmentsSetting(gap, 'gap.json')).toThrow(ConfigError);
    expect(() => segmentsSetting(gap, 'gap.json')).toThrow(/gap: no segment contains/);
  });
});

describe('POST /v1/score segments', () => {
  it('places customers in the rfm grid as the published table says', async () => {
    const app = await appWith(segmentsSetting('rfm', 'rfm'));
    // (R, F) → segment, straight from the R × F table in docs/beyond.md.
    const cells: [number, number, string, string][] = [
      [5, 5, 'champions', 'engaged'], [5, 1, 'new', 'engaged'], [4, 1, 'promising', 'engaged'], [4, 4, 'loyal', 'engaged'],
      [3, 3, 'need_attention', 'cooling'], [3, 2, 'about_to_sleep', 'cooling'], [2, 5, 'cant_lose', 'lapsing'],
      [1, 3, 'at_risk', 'lapsing'], [1, 1, 'hibernating', 'lapsing'], [5, 2, 'potential_loyalist', 'engaged'],
    ];
    const { status, body } = await score(app, cells.map(([r, f], i) => customer(`c${i}`, 3, { recency: r, frequency: f })));
    expect(status).toBe(200);
    expect(body.map((c: { segment: string; level: string }) => [c.segment, c.level])).toEqual(cells.map(([, , s, l]) => [s, l]));
    const info = (await (await app.request('/v1/model')).json()) as any;
    expect(info.segments.builtin).toBe('rfm');
    expect(info.segments.levels.map((l: { id: string }) => l.id)).toEqual(['engaged', 'cooling', 'lapsing']);
    expect(info.segments.segments).toHaveLength(10);
    expect(info.segments.segments[0]).toEqual({
      id: 'champions', name: 'Champions', level: 'engaged',
      description: BUILTIN_SEGMENTS.rfm!.segments[0]!.description, playbook: BUILTIN_SEGMENTS.rfm!.segments[0]!.playbook,
    });
  });

  it('a map on a raw column: placed by the column, and a customer without it is a 422 naming the column', async () => {
    const byIncome = {
      name: 'Income', levels: [{ id: 'all', name: 'All' }],
      segments: [
        { id: 'rich', name: 'Rich', level: 'all', when: { field: 'Income', gte: 50000 }, description: 'd', playbook: 'p' },
        { id: 'other', name: 'Other', level: 'all', when: { not: { field: 'Income', gte: 50000 } }, description: 'd', playbook: 'p' },
      ],
    };
    const app = await appWith(segmentsSetting(byIncome, 'income.json'));
    const ok = await score(app, [customer('a', 3, { Income: 60000 }), customer('b', 3, { Income: '1200' })]);
    expect(ok.body.map((c: { segment: string }) => c.segment)).toEqual(['rich', 'other']);
    const bad = await score(app, [customer('a', 3, { Income: 60000 }), customer('b', 3), customer('c', 3, { Income: 'lots' })]);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { pointer: '#/1/Income', detail: expect.stringMatching(/the segment rules need the raw column "Income"/) },
      { pointer: '#/2/Income', detail: expect.stringMatching(/compare it with numbers, got "lots"/) },
    ]);
  });

  it('PUT /v1/model compiles the configured map for the new model and refuses a model it cannot read', async () => {
    const app = await appWith(segmentsSetting('rfm', 'rfm'));
    const put = (body: unknown) => app.request('/v1/model', { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) });
    const refused = await put(renamed('recency', 'recent'));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/segment map "rfm": the rules read score\(s\) of "recency", which the model does not have/);
    // The default map would have fallen back; a configured one never silently changes.
    const accepted = await put(renamed('rating', 'stars'));
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as any).segments.builtin).toBe('rfm');
  });

  it('without a configured map, a model no shipped map fits answers null segments', async () => {
    const state = await loadModelState(engine, renamed('recency', 'recent'), 'model');
    expect(state.segments).toBeUndefined();
    const app = createApp({ engine, store: new ModelStore(state) });
    const one = customer('a', 3);
    const { body } = await score(app, { ...one, recent: 3 });
    expect(body).toMatchObject({ id: 'a', segment: null, level: null });
    expect(((await (await app.request('/v1/model')).json()) as any).segments).toBeNull();
  });
});

describe('POST /v1/score?explain=true', () => {
  it('adds K_base and contributions that sum to K − K_base; off by default; bad values are a 400', async () => {
    const app = await appWith();
    const batch = [customer('a', 5), customer('b', 2, { recency: 5, rating: 1 }), customer('c', 3)];
    const plain = await score(app, batch);
    expect(plain.body[0]).not.toHaveProperty('K_base');
    expect(await score(app, batch, '?explain=false')).toEqual(plain);
    const explained = await score(app, batch, '?explain=true');
    expect(explained.status).toBe(200);
    explained.body.forEach((c: any, i: number) => {
      const { K_base, contributions, ...rest } = c;
      expect(rest).toEqual(plain.body[i]);
      expect(Object.keys(contributions)).toEqual(indicators);
      const sum = Object.values(contributions as Record<string, number>).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - (c.K - K_base))).toBeLessThan(1e-6);
    });
    // Every indicator of "a" is at its maximum and the baseline at the training minimum: K rises above K_base.
    expect(explained.body[0].K).toBeGreaterThan(explained.body[0].K_base);
    const bad = await app.request('/v1/score?explain=yes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: '/docs#problem-invalid-query', detail: 'query parameter explain: expected "true" or "false", got "yes"' });
  });
});
