/**
 * Node-only behaviour of `cvnet serve`: requests in flight finish on the model
 * they started with when PUT /v1/model or --watch swaps it, SIGTERM drains and
 * exits 0, bad start-up input fails with one line and exit 2, --segments
 * picks the segment map, a body left unread closes its connection, a model
 * file may start with a byte order mark.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, cliBin, makeFixture, modelHash, rawRequest, removeFixtures, requireBuild, root, startNode, type Fixture, type Running } from './helpers.js';

let a: Fixture;
let b: Fixture;
const running: Running[] = [];

beforeAll(async () => {
  requireBuild();
  [a, b] = await Promise.all([makeFixture(30, 1), makeFixture(30, 2)]);
});

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  removeFixtures(a, b);
});

/**
 * Starts POST /v1/score with a body that is sent in two parts: the request is
 * in flight (headers read, model taken) until `finish()` sends the rest.
 */
function slowScore(url: string, row: Record<string, string | number>): { finish: () => void; response: Promise<Response> } {
  const text = JSON.stringify(row);
  const encoder = new TextEncoder();
  let finish!: () => void;
  const rest = new Promise<void>((resolve) => (finish = resolve));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(text.slice(0, 10)));
      await rest;
      controller.enqueue(encoder.encode(text.slice(10)));
      controller.close();
    },
  });
  const response = fetch(`${url}/v1/score`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half', signal: AbortSignal.timeout(30_000),
  } as RequestInit);
  return { finish, response };
}

/** Polls until `check` passes (bounded). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readyHash = async (url: string): Promise<string> => ((await (await fetch(`${url}/readyz`)).json()) as { model: string }).model;

describe('cvnet serve on Node', () => {
  it('finishes a request in flight on the old model when PUT /v1/model swaps it', async () => {
    const server = await startNode(a.modelPath, [], { CVNET_ADMIN_TOKEN: ADMIN_TOKEN });
    running.push(server);
    const slow = slowScore(server.url, a.rows[0]!);
    await new Promise((r) => setTimeout(r, 200)); // the request has reached the handler
    const put = await fetch(`${server.url}/v1/model`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` }, body: b.modelText,
    });
    expect(put.status).toBe(200);
    expect(await readyHash(server.url)).toBe(modelHash(b.modelText));
    slow.finish();
    const response = await slow.response;
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cvnet-model')).toBe(modelHash(a.modelText));
    const fresh = await fetch(`${server.url}/v1/score`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(a.rows[0]) });
    expect(fresh.headers.get('x-cvnet-model')).toBe(modelHash(b.modelText));
  });

  it('--watch swaps in a rewritten model file and keeps the old one when the new file is bad', async () => {
    const path = join(a.dir, 'watched.json');
    writeFileSync(path, a.modelText);
    const server = await startNode(path, ['--watch']);
    running.push(server);
    // Started without CVNET_ADMIN_TOKEN: model replacement over HTTP is off.
    const put = await fetch(`${server.url}/v1/model`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: b.modelText });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    // OPTIONS and another method say the same: PUT is not among them while it is off.
    expect((await fetch(`${server.url}/v1/model`, { method: 'OPTIONS' })).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await fetch(`${server.url}/v1/model`, { method: 'DELETE' })).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    writeFileSync(`${path}.tmp`, '{"format": "cvnet-model", "version": 1}');
    renameSync(`${path}.tmp`, path);
    await eventually(async () => server.output().includes('model not replaced'));
    expect(await readyHash(server.url)).toBe(modelHash(a.modelText));
    writeFileSync(`${path}.tmp`, b.modelText);
    renameSync(`${path}.tmp`, path); // as cvnet train writes: temp file, then rename
    await eventually(async () => (await readyHash(server.url)) === modelHash(b.modelText));
    expect(server.output()).toContain('"msg":"model replaced"');
  });

  it('says Connection: close when it stops reading a chunked body past the limit, keeps the connection after a refused Content-Length', async () => {
    const server = await startNode(a.modelPath, ['--body-limit', '1000']);
    running.push(server);
    const head = 'POST /v1/score HTTP/1.1\r\nHost: cvnet\r\nContent-Type: application/json\r\n';
    const next = 'GET /healthz HTTP/1.1\r\nHost: cvnet\r\n\r\n';
    // 16 chunks of 4 KiB: the server stops reading after the first, so the rest (and the next request) stay unread.
    const chunked = await rawRequest(server.url, `${head}Transfer-Encoding: chunked\r\n\r\n${`1000\r\n${' '.repeat(4096)}\r\n`.repeat(16)}0\r\n\r\n${next}`);
    expect(chunked.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked.answer).toMatch(/^connection: close\r$/im);
    expect(chunked.answer.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 413']);
    expect(chunked.closed).toBe(true);
    // Refused by its Content-Length before reading: the body is read and dropped, and the next request is answered.
    const sized = await rawRequest(server.url, `${head}Content-Length: 65536\r\n\r\n${' '.repeat(65_536)}${next}`);
    expect(sized.answer.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
    expect(sized.answer).not.toMatch(/^connection: close/im);
  });

  it('--watch follows a symlink swap as a Kubernetes ConfigMap volume makes it', async () => {
    // model.json → ..data/model.json, ..data → v1; an update repoints ..data atomically and never touches model.json.
    const dir = join(a.dir, 'configmap');
    mkdirSync(join(dir, 'v1'), { recursive: true });
    writeFileSync(join(dir, 'v1', 'model.json'), a.modelText);
    symlinkSync('v1', join(dir, '..data'));
    symlinkSync('..data/model.json', join(dir, 'model.json'));
    const server = await startNode(join(dir, 'model.json'), ['--watch']);
    running.push(server);
    mkdirSync(join(dir, 'v2'));
    writeFileSync(join(dir, 'v2', 'model.json'), b.modelText);
    symlinkSync('v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await eventually(async () => (await readyHash(server.url)) === modelHash(b.modelText));
  });

  it('drains on SIGTERM: the request in flight is answered, new connections are refused, exit 0', async () => {
    const server = await startNode(a.modelPath);
    running.push(server);
    const slow = slowScore(server.url, a.rows[3]!);
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    await eventually(async () => server.output().includes('shutting down'));
    await expect(fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
    slow.finish();
    const response = await slow.response;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(a.rows[3]!.id);
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
    expect(await server.exited).toBe(0);
    clearTimeout(timer);
  });

  it('--segments rfm serves the RFM map, and a map file that is not a partition stops start-up with exit 2', async () => {
    const server = await startNode(a.modelPath, ['--segments', 'rfm']);
    running.push(server);
    const info = (await (await fetch(`${server.url}/v1/model`)).json()) as { segments: { builtin: string } };
    expect(info.segments.builtin).toBe('rfm');
    const row = { ...a.rows[0]!, recency: 5, frequency: 5 }; // R 5, F 5: Champions in the R × F grid
    const scored = (await (await fetch(`${server.url}/v1/score`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(row) })).json()) as { segment: string; level: string };
    expect([scored.segment, scored.level]).toEqual(['champions', 'engaged']);

    const gap = join(a.dir, 'gap.json');
    writeFileSync(gap, JSON.stringify({
      name: 'Gap', levels: [{ id: 'all', name: 'All' }],
      segments: [{ id: 'top', name: 'Top', level: 'all', when: { class: ['A'] }, description: 'A.', playbook: 'Keep.' }],
    }));
    const run = spawnSync(process.execPath, [cliBin, 'serve', '--model', a.modelPath, '--port', '0', '--segments', gap], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${gap}: the segments do not put every customer in exactly one segment`);
    const missing = spawnSync(process.execPath, [cliBin, 'serve', '--model', a.modelPath, '--port', '0', '--segments', 'value18'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('value18: segment map not found (shipped maps: value17, rfm)');
  });

  it('serves a model file with a UTF-8 byte order mark, as PUT /v1/model takes it', async () => {
    const path = join(a.dir, 'bom.json');
    writeFileSync(path, `\uFEFF${a.modelText}`);
    const server = await startNode(path);
    running.push(server);
    expect(await readyHash(server.url)).toBe(modelHash(a.modelText));
  });

  it('refuses broken model JSON and an address in use at start-up with one line naming them, exit 2', async () => {
    const broken = join(a.dir, 'broken.json');
    writeFileSync(broken, '{\n  "format":\n  tru\n}\n'); // V8 quotes this text, line breaks and all, in its message
    const run = spawnSync(process.execPath, [cliBin, 'serve', '--model', broken, '--port', '0'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${broken}: not valid JSON (`);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const busy = spawnSync(process.execPath, [cliBin, 'serve', '--model', a.modelPath, '--port', String(port)], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      expect(busy.status).toBe(2);
      expect(busy.stderr).toBe(`Error: cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE)\n`);
    } finally {
      taken.close();
    }
  });

  it('refuses a bad model file or a short token at start-up with one line and exit 2', () => {
    const bad = join(a.dir, 'bad.json');
    writeFileSync(bad, '{"format": "cvnet-model", "version": 1, "layers": []}');
    const run = spawnSync(process.execPath, [cliBin, 'serve', '--model', bad, '--port', '0'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${bad}: layers: `);
    const short = spawnSync(process.execPath, [cliBin, 'serve', '--model', a.modelPath, '--port', '0'], {
      cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, CVNET_API_TOKEN: 'short' },
    });
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('CVNET_API_TOKEN is shorter than 16 characters');
    // A token read from a secret file with its line break could never match a bearer header.
    const spaced = spawnSync(process.execPath, [cliBin, 'serve', '--model', a.modelPath, '--port', '0'], {
      cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, CVNET_ADMIN_TOKEN: 'a-long-random-token-from-a-file\n' },
    });
    expect(spaced.status).toBe(2);
    expect(spaced.stderr.trim().split('\n')).toHaveLength(1);
    expect(spaced.stderr).toContain('CVNET_ADMIN_TOKEN contains white space');
  });
});
