/**
 * Start-up of the commands people run again and again on small files: what
 * loading them pulls in, not how long it takes (timings are the bench's).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { requireBuild, root } from './helpers.js';

/** Every module URL that importing the built command `name` loads. */
function modulesOf(name: string): string[] {
  const hook = `data:text/javascript,${encodeURIComponent('export async function load(url, context, next) { console.error("LOADED " + url); return next(url, context); }')}`;
  const script = `import { register } from 'node:module';
register(${JSON.stringify(hook)});
await import(${JSON.stringify(join(root, `packages/cli/dist/commands/${name}.js`))});`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
  expect(child.status, child.stderr).toBe(0);
  return child.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice(7));
}

it('cvnet classify loads the scoring entry, not the core index, the config parser or zod', () => {
  requireBuild();
  const loaded = modulesOf('classify');
  expect(loaded.some((url) => url.endsWith('/core/dist/scoring.js'))).toBe(true);
  expect(loaded.filter((url) => /\/core\/dist\/(index\.node|index|indicators\/config)\.js$|\/core\/dist\/(report|sql|features)\/|\/node_modules\/zod\//.test(url))).toEqual([]);
});

it('cvnet predict loads neither the scoring entry nor the core index', () => {
  requireBuild();
  const loaded = modulesOf('predict');
  expect(loaded.filter((url) => /\/core\/dist\/(index\.node|index|scoring)\.js$|\/node_modules\/zod\//.test(url))).toEqual([]);
});
