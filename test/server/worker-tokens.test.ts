/**
 * A configured token that could never match (white space, too short) must
 * not lock clients out silently: `cvnet serve` refuses to start, and the
 * Workers entry stays not ready, saying why, instead of answering 401s.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeFixture, removeFixtures, requireBuild, startWorkerd, type Fixture, type Running } from './helpers.js';

let fixture: Fixture;
let workerd: Running;

beforeAll(async () => {
  requireBuild();
  fixture = await makeFixture(5, 1);
  workerd = await startWorkerd(fixture.modelText, { CVNET_API_TOKEN: 'a-long-random-token-from-a-file\n', CVNET_ADMIN_TOKEN: 'short' });
});

afterAll(async () => {
  await workerd?.stop();
  removeFixtures(fixture);
});

it('a worker with an unusable token is not ready, names the problem, and scores nothing', async () => {
  const ready = await fetch(`${workerd.url}/readyz`);
  expect(ready.status).toBe(503);
  const detail = ((await ready.json()) as { detail: string }).detail;
  expect(detail).toContain('CVNET_API_TOKEN contains white space');
  expect(detail).toContain('CVNET_ADMIN_TOKEN is shorter than 16 characters');
  const scored = await fetch(`${workerd.url}/v1/score`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer a-long-random-token-from-a-file' }, body: JSON.stringify(fixture.rows[0]),
  });
  expect(scored.status).toBe(503);
  // With no usable admin token, PUT /v1/model cannot make it ready either.
  const put = await fetch(`${workerd.url}/v1/model`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer short' }, body: fixture.modelText });
  expect(put.status).toBe(405);
});
