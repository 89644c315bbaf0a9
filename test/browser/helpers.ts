/**
 * Browser-test plumbing: Debian's Chromium driven by playwright-core (no
 * browser download), and the same static server `cvnet web` uses, on
 * 127.0.0.1 with a random port.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createStaticServer, listen, type StaticServerOptions } from '../../packages/cli/src/lib/static-server.js';
import { cvnet as cli, type Run } from '../cli/helpers.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const webDist = join(root, 'packages/web/dist');
/** Screenshots land here; CI keeps the folder as an artifact (gitignored). */
export const artifacts = join(root, 'test/artifacts');

/** The page is served from dist: fail with instructions instead of obscure timeouts. */
export function requireBuild(): void {
  for (const file of ['packages/web/dist/index.html', 'packages/core/dist/index.browser.js', 'packages/core/wasm/cvnet.wasm', 'packages/cli/dist/commands/classify.js']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` before the browser tests`);
  }
  mkdirSync(artifacts, { recursive: true });
}

/** The flags the issue asks for; headless, sandbox off (containers), nothing phoning home. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(options: StaticServerOptions): Promise<Served> {
  const server: Server = createStaticServer(options);
  const url = await listen(server, 0);
  return {
    url,
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

/** `cvnet <args>` from the built CLI. */
export function cvnet(args: readonly string[]): Run {
  return cli(args, root);
}
