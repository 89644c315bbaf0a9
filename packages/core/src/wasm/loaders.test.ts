/**
 * The browser and workerd entry points must not pull in Node built-ins,
 * anywhere in their static import graph.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function specifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const found = [
    ...code.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** Every bare/builtin import reachable from `entry`, with the file it came from. */
function externalImports(entry: string): { from: string; spec: string }[] {
  const seen = new Set<string>();
  const out: { from: string; spec: string }[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) {
        if (spec.endsWith('.wasm')) continue;
        visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      } else {
        out.push({ from: file, spec });
      }
    }
  };
  visit(entry);
  return out;
}

describe.each(['index.browser.ts', 'index.workerd.ts', 'wasm/browser.ts', 'wasm/workerd.ts'])('%s', (entry) => {
  it('imports no Node built-ins', () => {
    const imports = externalImports(resolve(src, entry));
    const offenders = imports.filter(({ spec }) => nodeOnly.has(spec) || nodeOnly.has(spec.split('/')[0]!));
    expect(offenders).toEqual([]);
  });
});

it('the scanner does see Node imports (sanity check on the node loader)', () => {
  expect(externalImports(resolve(src, 'index.node.ts')).map((i) => i.spec)).toContain('node:fs/promises');
});
