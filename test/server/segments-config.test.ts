/**
 * A segment map of your own, configured the way each host takes it: a file
 * for `cvnet serve --segments`, JSON text in the CVNET_SEGMENTS binding for
 * the worker. Both hosts must place customers alike and describe the map
 * alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, scoreWithModel } from '../../packages/core/src/index.node.js';
import { makeFixture, removeFixtures, requireBuild, startNode, startWorkerd, type Fixture, type Running } from './helpers.js';

/** Class A and B customers by recency; everyone else in one segment. */
const MAP = {
  name: 'Key accounts by recency',
  levels: [{ id: 'key', name: 'Key', description: 'Classes A and B.' }, { id: 'rest', name: 'Rest' }],
  labels: [
    { id: 'key', name: 'Key account', when: { class: ['A', 'B'] } },
    { id: 'recent', name: 'Recent', when: { score: 'recency', gte: 4 } },
  ],
  segments: [
    { id: 'key_recent', name: 'Key, recent', level: 'key', when: { all: ['key', 'recent'] }, description: 'Key accounts that bought lately.', playbook: 'Thank them.' },
    { id: 'key_quiet', name: 'Key, quiet', level: 'key', when: { all: ['key', '!recent'] }, description: 'Key accounts gone quiet.', playbook: 'Call them.' },
    { id: 'others', name: 'Others', level: 'rest', when: '!key', description: 'Classes C and D.', playbook: 'Standard service.' },
  ],
};

let fixture: Fixture;
const hosts: Record<'node' | 'workerd', Running | undefined> = { node: undefined, workerd: undefined };

beforeAll(async () => {
  requireBuild();
  fixture = await makeFixture(30, 1);
  const mapPath = join(fixture.dir, 'map.jsonc');
  writeFileSync(mapPath, `// a map of our own\n${JSON.stringify(MAP, null, 2)}\n`);
  [hosts.node, hosts.workerd] = await Promise.all([
    startNode(fixture.modelPath, ['--segments', mapPath]),
    startWorkerd(fixture.modelText, { CVNET_SEGMENTS: JSON.stringify(MAP) }),
  ]);
});

afterAll(async () => {
  await Promise.all(Object.values(hosts).map((h) => h?.stop()));
  removeFixtures(fixture);
});

describe('a configured segment map', () => {
  it('places every customer by its rules and is listed by GET /v1/model, the same on Node and workerd', async () => {
    const expected = scoreWithModel(await loadEngine(), fixture.model, fixture.rows).customers.map((c) => {
      const key = c.class === 'A' || c.class === 'B';
      const recent = c.scores[fixture.model.inputs.names.indexOf('recency')]! >= 4;
      return key ? (recent ? 'key_recent' : 'key_quiet') : 'others';
    });
    expect(new Set(expected).size).toBe(3);
    const answers: string[] = [];
    for (const host of [hosts.node!, hosts.workerd!]) {
      const scored = await (await fetch(`${host.url}/v1/score`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fixture.rows) })).text();
      if (!scored.startsWith('[')) throw new Error(`${scored}\n${host.output()}`);
      const body = JSON.parse(scored) as { segment: string; level: string }[];
      expect(body.map((c) => c.segment)).toEqual(expected);
      expect(body.map((c) => c.level)).toEqual(expected.map((s) => (s === 'others' ? 'rest' : 'key')));
      const info = (await (await fetch(`${host.url}/v1/model`)).json()) as { segments: unknown };
      expect(info.segments).toEqual({
        builtin: null, name: MAP.name,
        levels: MAP.levels,
        segments: MAP.segments.map(({ when: _, ...s }) => s),
      });
      answers.push(scored);
    }
    expect(answers[1]).toBe(answers[0]);
  });
});
