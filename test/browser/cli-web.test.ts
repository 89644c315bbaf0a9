/**
 * `cvnet web`: serves the built app on 127.0.0.1 with the isolation headers
 * and the Wasm MIME type, prints the URL, refuses paths outside its folder,
 * and explains a missing build in one line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cvnet, requireBuild, root, webDist } from './helpers.js';

requireBuild();

let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGTERM');
});

/** Starts `cvnet web --port 0` and resolves with the URL it prints. */
function start(): Promise<string> {
  child = spawn(process.execPath, [join(root, 'packages/cli/bin/run.js'), 'web', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /cvnet web: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child!.on('exit', (code) => reject(new Error(`cvnet web exited with ${code} before printing its URL: ${out}`)));
  });
}

/** A raw GET, so that "/%2e%2e/" reaches the server unnormalised. */
function get(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { path }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cvnet web', () => {
  it('serves the app with COOP/COEP and application/wasm on 127.0.0.1', async () => {
    const url = await start();
    const page = await get(url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.body).toContain('data-testid="train"');
    // Every built file comes back with its type; the Wasm as application/wasm so it compiles while streaming.
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', wasm: 'application/wasm' };
    const assets = readdirSync(join(webDist, 'assets'));
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    for (const file of assets) {
      const res = await get(url, `/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(types[file.split('.').pop()!]);
      expect(res.body.length).toBe(statSync(join(webDist, 'assets', file)).size);
      if (file.endsWith('.wasm')) expect(res.body.slice(0, 4)).toBe('\0asm');
    }
    for (const outside of ['/%2e%2e/package.json', '/..%2fpackage.json', '/assets/%2e%2e/%2e%2e/index.html']) {
      expect((await get(url, outside)).status).toBe(404);
    }
  });

  it('says in one line when there is nothing to serve', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cvnet-web-empty-'));
    try {
      const run = cvnet(['web', '--dir', empty, '--port', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`Error: ${empty} has no index.html\n`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
