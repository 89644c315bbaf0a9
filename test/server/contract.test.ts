/**
 * One contract, two hosts: the same requests go to the Node server (`cvnet
 * serve`) and to the worker in workerd (`wrangler dev`); each answer is
 * checked, and the two hosts' answers must be identical byte for byte.
 */
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_SEGMENTS, compileSegments, explainCustomers, loadEngine, scoreWithModel, subjectOf, SURVEY_INDICATORS, type Explanations, type ScoredBatch,
} from '../../packages/core/src/index.node.js';
import { ADMIN_TOKEN, API_TOKEN, customer, makeFixture, modelHash, removeFixtures, requireBuild, startNode, startWorkerd, type Fixture, type Running } from './helpers.js';

const indicators = [...SURVEY_INDICATORS];
const auth = { Authorization: `Bearer ${API_TOKEN}` };
const json = { ...auth, 'Content-Type': 'application/json' };

let fixture: Fixture;
let other: Fixture;
let expected: ScoredBatch;
/** Segment and level ids by the default map (value17: the survey has the study's indicators). */
let segments: { segment: string; level: string }[];
let explained: Explanations;
const hosts: Record<'node' | 'workerd', Running | undefined> = { node: undefined, workerd: undefined };
/** Every answer by host and case, for the cross-host comparison. */
const answers: Record<string, Map<string, string>> = { node: new Map(), workerd: new Map() };

beforeAll(async () => {
  requireBuild();
  [fixture, other] = await Promise.all([makeFixture(40, 1), makeFixture(40, 2)]);
  expected = scoreWithModel(await loadEngine(), fixture.model, fixture.rows);
  const value17 = compileSegments(BUILTIN_SEGMENTS.value17, { indicators });
  segments = expected.customers.map((c) => {
    const { segment, level } = value17.assign(subjectOf(c, expected.indicators));
    return { segment: segment.id, level: level.id };
  });
  explained = explainCustomers(fixture.model, expected.customers.map((c) => c.scores));
  const env = { CVNET_API_TOKEN: API_TOKEN, CVNET_ADMIN_TOKEN: ADMIN_TOKEN };
  [hosts.node, hosts.workerd] = await Promise.all([startNode(fixture.modelPath, [], env), startWorkerd(fixture.modelText, env)]);
});

afterAll(async () => {
  await Promise.all(Object.values(hosts).map((h) => h?.stop()));
  removeFixtures(fixture, other);
});

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  body: any;
}

/** The result the API should give for a scored customer (explain off). */
const resultOf = (i: number) => {
  const c = expected.customers[i]!;
  return {
    id: c.id, K: c.K, class: c.class, strategy: c.strategy, band: c.band, C: c.C, scores: Object.fromEntries(indicators.map((id, j) => [id, c.scores[j]])),
    ...segments[i]!,
  };
};

describe.each(['node', 'workerd'] as const)('%s', (name) => {
  /** Sends a request with a fixed request id (so both hosts answer alike) and records the answer. */
  async function call(label: string, path: string, init: RequestInit = {}): Promise<Answer> {
    const host = hosts[name]!;
    const response = await fetch(host.url + path, {
      ...init,
      headers: { 'X-Request-Id': label, ...(init.headers as Record<string, string>) },
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    answers[name]!.set(label, `${response.status} ${type}\n${text}`);
    expect(response.headers.get('x-request-id')).toBe(label);
    return { status: response.status, type, headers: response.headers, text, body: type.includes('json') ? JSON.parse(text) : undefined };
  }

  function expectProblem(answer: Answer, status: number, type: string): void {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.type).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status, type: `/docs#problem-${type}`, title: expect.any(String), detail: expect.any(String) });
    expect(answer.text).not.toMatch(/\n\s+at /); // no stack trace
  }

  /** The server still answers correctly after a bad request. */
  async function stillScores(label: string): Promise<void> {
    const answer = await call(label, '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows[0]) });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(resultOf(0));
  }

  it('is alive and ready with the model', async () => {
    expect((await call('healthz', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call('readyz', '/readyz')).body).toEqual({ status: 'ready', model: modelHash(fixture.modelText) });
  });

  it('describes the model', async () => {
    const answer = await call('model', '/v1/model', { headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(`"${modelHash(fixture.modelText)}"`);
    const method = fixture.model.method!;
    expect(answer.body).toMatchObject({
      hash: modelHash(fixture.modelText), format: 'cvnet-model', version: 1, idColumn: 'id',
      thresholds: method.thresholds, strategies: method.strategies, currentValue: method.currentValue,
      network: { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] },
      training: { epochs: fixture.model.training!.epochs, stop: fixture.model.training!.stop },
    });
    expect(answer.body.indicators.map((i: { id: string }) => i.id)).toEqual(indicators);
    expect(answer.body.indicators[0].weight).toBe(method.weights.profile);
    // The default segment map for the study's indicators, as clients need it to act on segment ids.
    const map = answer.body.segments;
    expect(map.builtin).toBe('value17');
    expect(map.levels.map((l: { id: string }) => l.id)).toEqual(BUILTIN_SEGMENTS.value17!.levels.map((l) => l.id));
    expect(map.segments).toHaveLength(17);
    expect(map.segments.map((s: { id: string }) => s.id)).toEqual(BUILTIN_SEGMENTS.value17!.segments.map((s) => s.id));
    for (const s of map.segments) expect(Object.keys(s)).toEqual(['id', 'name', 'level', 'description', 'playbook']);
    const unchanged = await call('model-304', '/v1/model', { headers: { ...auth, 'If-None-Match': answer.headers.get('etag')! } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    // RFC 9110 13.1.2: weak comparison, any tag of a list, and * (a model is loaded).
    const hash = modelHash(fixture.modelText);
    for (const [label, value] of [['weak', `W/"${hash}"`], ['list', `"x", "${hash}"`], ['star', '*']]) {
      const answer = await call(`model-304-${label}`, '/v1/model', { headers: { ...auth, 'If-None-Match': value! } });
      expect([answer.status, answer.headers.get('etag'), answer.text], value).toEqual([304, `"${hash}"`, '']);
    }
    const changed = await call('model-200-other', '/v1/model', { headers: { ...auth, 'If-None-Match': `"x", W/"${hash}x"` } });
    expect(changed.status).toBe(200);
  });

  it('scores one customer, and a batch in input order, equal to scoreWithModel', async () => {
    const one = await call('score-one', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows[5]) });
    expect(one.status).toBe(200);
    expect(one.headers.get('x-cvnet-model')).toBe(modelHash(fixture.modelText));
    expect(one.body).toEqual(resultOf(5));
    const reversed = [...fixture.rows].reverse();
    const all = await call('score-all', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(reversed) });
    expect(all.status).toBe(200);
    expect(all.body).toEqual(expected.customers.map((_, i) => resultOf(i)).reverse());
    // Several classes occur, so the comparison covers more than one branch.
    expect(new Set(all.body.map((c: { class: string }) => c.class)).size).toBeGreaterThanOrEqual(3);
  });

  it('answers CSV with CSV in the columns of cvnet classify, which is valid input again', async () => {
    const { readFileSync } = await import('node:fs');
    const answer = await call('score-csv', '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/csv' }, body: readFileSync(fixture.csvPath, 'utf8') });
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parse(answer.text) as string[][];
    expect(header).toEqual(['id', 'C', 'band', 'K', 'class', 'strategy', ...indicators, 'segment', 'level']);
    expect(rows).toEqual(expected.customers.map((c, i) => [c.id, String(c.C), String(c.band), String(c.K), c.class, c.strategy, ...c.scores.map(String), segments[i]!.segment, segments[i]!.level]));
    // A row of that output, as JSON (all text), scores the same.
    const again = Object.fromEntries(header!.map((h, j) => [h, rows[7]![j]!]));
    const rescored = await call('score-classified-row', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(again) });
    expect(rescored.body).toEqual(resultOf(7));
    // The whole output as CSV again (quoted strategies with commas, CRLF line ends): the same answer.
    const roundTrip = await call('score-csv-again', '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/csv; charset=utf-8' }, body: answer.text.replaceAll('\n', '\r\n') });
    expect(roundTrip.status, roundTrip.text).toBe(200);
    expect(roundTrip.text).toBe(answer.text);
  });

  it('explains K on request: contributions add up to K − K_base, as core computes them; off by default', async () => {
    const plain = await call('explain-false', '/v1/score?explain=false', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows) });
    expect(plain.body).toEqual(expected.customers.map((_, i) => resultOf(i)));
    const answer = await call('explain-json', '/v1/score?explain=true', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows) });
    expect(answer.status).toBe(200);
    // Several segments occur, so the segment comparison covers more than one rule.
    expect(new Set(answer.body.map((c: { segment: string }) => c.segment)).size).toBeGreaterThanOrEqual(3);
    answer.body.forEach((c: any, i: number) => {
      const { K_base, contributions, ...rest } = c;
      expect(rest).toEqual(resultOf(i));
      expect(K_base).toBe(explained.kBase);
      expect(Object.keys(contributions)).toEqual(indicators);
      const sum = Object.values(contributions as Record<string, number>).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - (c.K - K_base))).toBeLessThan(1e-6);
      indicators.forEach((id, j) => expect(Math.abs(contributions[id] - explained.customers[i]!.contributions[j]!)).toBeLessThan(1e-12));
    });
    const { readFileSync } = await import('node:fs');
    const csv = await call('explain-csv', '/v1/score?explain=true', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/csv' }, body: readFileSync(fixture.csvPath, 'utf8') });
    expect(csv.status).toBe(200);
    const [header, ...rows] = parse(csv.text) as string[][];
    expect(header).toEqual(['id', 'C', 'band', 'K', 'class', 'strategy', ...indicators, 'K_base', ...indicators.map((id) => `contrib:${id}`), 'segment', 'level']);
    rows.forEach((row, i) => {
      const at = (name: string) => row[header!.indexOf(name)]!;
      expect(at('id')).toBe(expected.customers[i]!.id);
      expect(Number(at('K_base'))).toBe(answer.body[i].K_base);
      indicators.forEach((id) => expect(Number(at(`contrib:${id}`))).toBe(answer.body[i].contributions[id]));
      expect([at('segment'), at('level')]).toEqual([segments[i]!.segment, segments[i]!.level]);
    });
    const bad = await call('explain-bad', '/v1/score?explain=1', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows[0]) });
    expectProblem(bad, 400, 'invalid-query');
  });

  it('refuses malformed JSON, wrong types, NaN/Infinity and missing fields with every bad value', async () => {
    expectProblem(await call('malformed', '/v1/score', { method: 'POST', headers: json, body: '[{"id": "a",' }), 400, 'malformed-body');
    expectProblem(await call('nan-literal', '/v1/score', { method: 'POST', headers: json, body: '{"id": "a", "profile": NaN}' }), 400, 'malformed-body');

    const bad = [
      { ...customer('a', 3, indicators), profile: 'abc', visits: true, time_online: [3] },
      { ...customer('b', 3, indicators), recency: 7, frequency: 0, monetary: 2.5 },
    ];
    const types = await call('wrong-types', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(bad) });
    expectProblem(types, 422, 'invalid-values');
    const byPointer = Object.fromEntries(types.body.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]));
    expect(Object.keys(byPointer).sort()).toEqual(['#/0/profile', '#/0/time_online', '#/0/visits', '#/1/frequency', '#/1/monetary', '#/1/recency']);
    expect(byPointer['#/0/profile']).toMatch(/expected an integer score 1–5, got "abc"/);
    expect(byPointer['#/1/recency']).toMatch(/out of range/);

    // 1e999 is valid JSON that parses to Infinity.
    const infinite = await call('infinity', '/v1/score', { method: 'POST', headers: json, body: `{"id":"a","profile":1e999,${indicators.slice(1).map((i) => `"${i}":3`).join(',')}}` });
    expectProblem(infinite, 422, 'invalid-values');
    expect(infinite.body.errors).toEqual([{ pointer: '#/profile', detail: expect.stringMatching(/finite number/) }]);

    const missing = await call('missing', '/v1/score', {
      method: 'POST', headers: json,
      body: JSON.stringify([{ id: 'a', profile: 3 }]),
    });
    expectProblem(missing, 422, 'invalid-values');
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(indicators.slice(1).map((i) => `#/0/${i}`));

    // Two ids that differ in the body text but not once parsed as JSON numbers: refused, not merged into a duplicate.
    const scores = indicators.map((i) => `"${i}":3`).join(',');
    const bigIds = await call('big-ids', '/v1/score', { method: 'POST', headers: json, body: `[{"id":9007199254740993,${scores}},{"id":9007199254740992,${scores}}]` });
    expectProblem(bigIds, 422, 'invalid-values');
    expect(bigIds.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/0/id', '#/1/id']);
    expect(bigIds.body.errors[0].detail).toMatch(/send ids as strings/);

    // Body order, row by row: a shape issue of row 1 comes after a value issue of row 0; in a row, the row's field order.
    const ordered = await call('ordered', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify([{ ...customer('a', 3, indicators), rating: 9 }, { id: 'b', ...customer('b', 3, indicators), visits: [3], profile: 0 }]) });
    expect(ordered.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/0/rating', '#/1/profile', '#/1/visits']);
    // The detail counts every bad value, also past the 1000 listed.
    const many = Array.from({ length: 700 }, (_, i) => ({ ...customer(`m${i}`, 3, indicators), profile: 0, visits: 'x' }));
    const counted = await call('counted', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(many) });
    expect(counted.body.detail).toBe('1400 invalid values (the first 1000 are listed); see errors');
    expect(counted.body.errors).toHaveLength(1000);
    // A missing field does not hide the bad values of the fields that are there.
    const partial = await call('missing-and-bad', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify({ id: 'a', profile: 7 }) });
    expect(partial.body.errors[0]).toEqual({ pointer: '#/profile', detail: 'out of range: expected an integer score 1–5, got 7' });
    expect(partial.body.errors.slice(1).map((e: { pointer: string }) => e.pointer)).toEqual(indicators.slice(1).map((i) => `#/${i}`));

    const later = customer('b', 3, indicators);
    delete later.rating;
    const gap = await call('missing-later', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify([customer('a', 3, indicators), later, { ...customer('a', 3, indicators) }]) });
    expect(gap.body.errors).toEqual([
      { pointer: '#/1/rating', detail: 'missing value; expected an integer score 1–5' },
      { pointer: '#/2/id', detail: 'duplicate customer id "a" (first at #/0)' },
    ]);
    await stillScores('after-bad-values');
  });

  it('reads CSV as `cvnet classify` does: malformed CSV is a 400 naming the line, bad values name the line a row ends on', async () => {
    const csv = { ...auth, 'Content-Type': 'text/csv' };
    const header = ['id', ...indicators].join(',');
    const row = (id: string, score = 3): string => [id, ...indicators.map(() => score)].join(',');
    const refused: [string, string | Uint8Array<ArrayBuffer>, string][] = [
      ['csv-unclosed', `${header}\r\n${row('a')}\r\n\r\n"b,3\r\n`, 'line 4: malformed CSV (Quote Not Closed: the parsing is finished with an opening quote)'],
      ['csv-stray-quote', `${header}\n${row('a')}\n${row('b"c')}\n`, 'line 3: malformed CSV (Invalid Opening Quote: a quote is found on field 0)'],
      ['csv-ragged', `\uFEFF${header}\n"two\nlines",3\n`, `line 3: row has 2 fields, expected ${indicators.length + 1} (one per header column); column "${indicators[1]}" onwards is missing`],
      ['csv-repeated-column', `${header},id\n${row('a')},b\n`, 'line 1: the header names column "id" twice'],
      ['csv-empty', '\r\n\n', 'the CSV text is empty (expected a header row with column names)'],
      // Read as the CLI reads a file: a Latin-1 byte by line and column, a tab-separated file by name.
      ['csv-latin1', new Uint8Array(Buffer.concat([Buffer.from(`${header}\n${row('a')}\nJos`), Buffer.from([0xe9]), Buffer.from(`${row('')}\n`)])),
        'line 3, column "id": byte 0xE9 is not UTF-8, which cvnet reads; save the file as UTF-8 (it may be Latin-1 or Windows-1252)'],
      ['csv-tabs', 'id\tprofile\n1\t2\n', 'line 1: the header is one column holding tabs: cvnet reads comma-separated files; save the file as CSV with commas'],
    ];
    for (const [label, body, detail] of refused) {
      const answer = await call(label, '/v1/score', { method: 'POST', headers: csv, body });
      expectProblem(answer, 400, 'malformed-body');
      expect(answer.body.detail, label).toBe(detail);
    }
    // A quoted id over two lines, CRLF, a BOM and a blank line: the bad value's row ends on line 4.
    const bad = await call('csv-bad-value', '/v1/score', { method: 'POST', headers: csv, body: `\uFEFF${header}\r\n\r\n"x,\r\ny",${indicators.map(() => 3).join(',').replace(/^3/, '9')}\r\n` });
    expectProblem(bad, 422, 'invalid-values');
    expect(bad.body.errors).toEqual([{ pointer: `#/0/${indicators[0]}`, detail: 'out of range: expected an integer score 1–5, got "9"', line: 4 }]);
    const many = [header, ...Array.from({ length: 10_001 }, (_, i) => row(`c${i}`))].join('\n');
    const tooMany = await call('csv-too-many', '/v1/score', { method: 'POST', headers: csv, body: many });
    expectProblem(tooMany, 413, 'too-many-customers');
    expect(tooMany.body.detail).toBe('the CSV body has more than 10000 customers (the limit per request)');
    await stillScores('after-bad-csv');
  });

  it('refuses bodies past the limits: 50 MB and 10 001 customers (413), and unknown media types (415)', async () => {
    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    expectProblem(await call('huge', '/v1/score', { method: 'POST', headers: json, body: huge }), 413, 'body-too-large');
    const many = Array.from({ length: 10_001 }, (_, i) => customer(`c${i}`, 3, indicators));
    const tooMany = await call('too-many', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(many) });
    expectProblem(tooMany, 413, 'too-many-customers');
    const exactly = await call('limit', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(many.slice(0, 10_000)) });
    expect(exactly.status).toBe(200);
    expect(exactly.body).toHaveLength(10_000);
    const form = await call('form', '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expectProblem(form, 415, 'unsupported-media-type');
    expect(form.headers.get('accept')).toBe('application/json, text/csv');
    // Bodies are read as they are, in UTF-8: a content coding or another charset is a 415 saying so, not a misreading.
    const gzip = await call('gzip', '/v1/score', { method: 'POST', headers: { ...json, 'Content-Encoding': 'gzip' }, body: gzipSync(JSON.stringify(fixture.rows[0])) });
    expectProblem(gzip, 415, 'unsupported-content-encoding');
    expect(gzip.body.detail).toContain('Content-Encoding "gzip" is not supported');
    expect(gzip.headers.get('accept-encoding')).toBe('identity');
    const charsets: [string, string, string][] = [
      ['latin1-csv', 'text/csv; charset=iso-8859-1', `id,${indicators.join(',')}\nCaf\xe9,${indicators.map(() => 3).join(',')}\n`],
      ['utf16-json', 'application/json;charset="UTF-16"', JSON.stringify(fixture.rows[0])],
    ];
    for (const [label, type, body] of charsets) {
      const answer = await call(label, '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': type }, body: Buffer.from(body, label.startsWith('latin1') ? 'latin1' : 'utf16le') });
      expectProblem(answer, 415, 'unsupported-media-type');
      expect(answer.body.detail).toMatch(/only UTF-8/);
    }
    const quoted = await call('utf8-quoted', '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json; Charset="UTF-8"', 'Content-Encoding': 'identity' }, body: JSON.stringify(fixture.rows[0]) });
    expect(quoted.body).toEqual(resultOf(0));
    // Other labels of UTF-8 (WHATWG's), and US-ASCII, a subset of it.
    for (const charset of ['utf8', 'unicode-1-1-utf-8', 'us-ascii']) {
      const labelled = await call(`charset-${charset}`, '/v1/score', { method: 'POST', headers: { ...auth, 'Content-Type': `application/json; charset=${charset}` }, body: JSON.stringify(fixture.rows[0]) });
      expect(labelled.body, charset).toEqual(resultOf(0));
    }
    await stillScores('after-limits');
  });

  it('answers unknown routes and wrong tokens with problems', async () => {
    expectProblem(await call('unknown-route', '/v2/score', { method: 'POST', headers: json, body: '{}' }), 404, 'not-found');
    // A route that exists under other methods: 405 with Allow (RFC 9110), and OPTIONS lists them.
    const wrongMethod = await call('wrong-method', '/v1/score');
    expectProblem(wrongMethod, 405, 'method-not-allowed');
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
    const deleteModel = await call('delete-model', '/v1/model', { method: 'DELETE' });
    expectProblem(deleteModel, 405, 'method-not-allowed');
    expect(deleteModel.headers.get('allow')).toBe('GET, PUT, HEAD, OPTIONS');
    const options = await call('options', '/v1/score', { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow'), options.text]).toEqual([204, 'POST, OPTIONS', '']);
    const noToken = await call('no-token', '/v1/score', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expectProblem(noToken, 401, 'unauthorized');
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="cvnet"');
    const wrong = await call('wrong-token', '/v1/score', { method: 'POST', headers: { ...json, Authorization: `Bearer ${API_TOKEN}x` }, body: '{}' });
    expectProblem(wrong, 401, 'unauthorized');
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    // The admin token is not the API token.
    expectProblem(await call('admin-as-api', '/v1/model', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }), 401, 'unauthorized');
    await stillScores('after-tokens');
  });

  it('replaces the model with PUT /v1/model only with the admin token, after checking it', async () => {
    const put = (label: string, body: string, token = ADMIN_TOKEN) =>
      call(label, '/v1/model', { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body });
    expectProblem(await put('put-api-token', other.modelText, API_TOKEN), 401, 'unauthorized');
    const broken = JSON.parse(fixture.modelText);
    broken.layers[0].biases[2] = 'x';
    broken.inputs.min = 'y';
    const rejected = await put('put-invalid', JSON.stringify(broken));
    expectProblem(rejected, 422, 'invalid-model');
    expect(rejected.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/layers/0/biases/2', '#/inputs/min']);
    expect((await call('still-old', '/readyz')).body.model).toBe(modelHash(fixture.modelText));

    const swapped = await put('put-other', other.modelText);
    expect(swapped.status).toBe(200);
    expect(swapped.body.hash).toBe(modelHash(other.modelText));
    const rescored = await call('score-other', '/v1/score', { method: 'POST', headers: json, body: JSON.stringify(fixture.rows[5]) });
    const otherK = scoreWithModel(await loadEngine(), other.model, [fixture.rows[5]!]).customers[0]!.K;
    expect(rescored.body.K).toBe(otherK);
    expect(otherK).not.toBe(resultOf(5).K);
    expect((await put('put-back', fixture.modelText)).status).toBe(200);
    await stillScores('after-put');
  });

  it('publishes an OpenAPI 3.1 document and a docs page', async () => {
    const doc = (await call('openapi', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/v1/score'].post.requestBody.content)).toEqual(['application/json', 'text/csv']);
    expect(doc.paths['/v1/model'].put).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CustomerInput', 'ScoredCustomer', 'Problem', 'ModelInfo', 'SegmentMap']));
    expect(doc.paths['/v1/score'].post.parameters).toEqual([expect.objectContaining({ name: 'explain', in: 'query', schema: expect.objectContaining({ enum: ['true', 'false'] }) })]);
    expect(Object.keys(doc.components.schemas.ScoredCustomer.properties)).toEqual(expect.arrayContaining(['segment', 'level', 'K_base', 'contributions']));
    expect(doc.components.schemas.ScoredCustomer.required).toEqual(expect.arrayContaining(['segment', 'level']));
    expect(doc.components.schemas.ScoredCustomer.required).not.toContain('K_base');
    expect(JSON.stringify(doc.components.schemas.ScoreRequest)).toContain('"maxItems":10000');
    const page = await call('docs', '/docs');
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('id="problem-invalid-values"');
    expect(page.text).toContain('POST /v1/score');
    expect(page.text).toContain('query parameter <code>explain</code>');
  });
});

describe('node and workerd', () => {
  it('gave the same answers to the same requests, to the last digit', () => {
    expect(answers.node!.size).toBeGreaterThan(30);
    expect(answers.workerd!.size).toBe(answers.node!.size);
    for (const [label, answer] of answers.node!) expect(answers.workerd!.get(label), label).toBe(answer);
  });
});
