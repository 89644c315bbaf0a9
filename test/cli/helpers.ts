import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/run.js');

/** The CLI runs from dist: fail with instructions instead of obscure errors. */
export function requireBuild(): void {
  for (const file of ['packages/cli/dist/commands/train.js', 'packages/core/dist/index.node.js', 'packages/core/wasm/cvnet.wasm']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` before the CLI tests`);
  }
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `cvnet <args>` from the built CLI, run in `cwd`. `env` entries override the
 * test's environment (undefined unsets one); without it the child inherits it.
 */
export function cvnet(args: readonly string[], cwd: string, env?: Record<string, string | undefined>): Run {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, ...(env === undefined ? {} : { env: { ...process.env, ...env } }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Model file text without its createdAt line, the one thing allowed to differ between runs. */
export const withoutTimestamp = (path: string): string =>
  readFileSync(path, 'utf8').replace(/^ {2}"createdAt": .*\n/m, '');

export function readCsv(path: string): string[][] {
  return parse(readFileSync(path, 'utf8')) as string[][];
}

/**
 * A fixture with an id, three numeric features, a text column and a target in
 * (0, 1) that is a smooth function of the features (so a small net learns it).
 */
export function writeFixture(path: string, rows: number, seed = 1): void {
  let state = seed;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ['id,a,b,c,name,K'];
  for (let i = 0; i < rows; i++) {
    const a = rand() * 10;
    const b = rand() * 10 - 5;
    const c = Math.floor(rand() * 4);
    const k = 1 / (1 + Math.exp(-(0.3 * a - 0.5 * b + 0.2 * c - 1.5)));
    lines.push(`${i + 1},${a.toFixed(4)},${b.toFixed(4)},${c},n${i},${k.toFixed(6)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Edits the comma-separated fields of `lines[i]` in place (test data with odd values here and there). */
export function editFields(lines: string[], i: number, edit: (fields: string[]) => void): void {
  const fields = lines[i]!.split(',');
  edit(fields);
  lines[i] = fields.join(',');
}
