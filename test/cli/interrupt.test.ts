/**
 * Ctrl-C or SIGTERM while `predict --out` writes or a features session is
 * open: the temporary files go, and the process ends by that signal (as
 * without cvnet's handler), which a shell reports as 128 + its number.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cvnet, requireBuild, root, writeFixture } from './helpers.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-interrupt-'));
  writeFixture(join(dir, 'small.csv'), 50);
  writeFixture(join(dir, 'rows.csv'), 50_000);
  // An untrained net with a huge hidden layer: scoring takes seconds, block
  // by block, so the write is surely under way when the signal comes.
  const train = cvnet(['train', 'small.csv', '--target', 'K', '--hidden', '20000', '--epochs', '0', '--seed', '1', '--out', 'slow.json'], dir);
  if (train.code !== 0) throw new Error(train.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an interrupted write', () => {
  // Dying by the signal itself (a shell shows 130 or 143) is what stops a shell loop; exit code 130 would not.
  it.each(['SIGINT', 'SIGTERM'] as const)('%s removes the temporary file and ends the process by that signal', async (signal) => {
    const out = `${signal}.csv`;
    const child = spawn(process.execPath, [join(root, 'packages/cli/bin/run.js'), 'predict', 'rows.csv', '-m', 'slow.json', '--out', out], { cwd: dir });
    const exit = once(child, 'exit');
    const temp = (): string[] => readdirSync(dir).filter((name) => name.startsWith(`.${out}.`));
    for (let i = 0; i < 3000 && temp().length === 0 && child.exitCode === null; i++) await setTimeout(10);
    expect(temp()).toHaveLength(1);
    child.kill(signal);
    const [status, by] = await exit;
    expect(readdirSync(dir).filter((name) => name.includes(out))).toEqual([]);
    expect([status, by]).toEqual([null, signal]);
  });
});

describe('an interrupted features session', () => {
  it('removes its DuckDB temp directory on SIGINT', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    writeFileSync(join(dir, 'log.csv'), 'InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n1,2020-01-02 10:00:00,c1,A,1,5\n');
    // The session is open (its temp directory made) when the signal comes;
    // the timer stands for work that would otherwise go on.
    const script = `import { FeatureSession, validateMapping } from ${JSON.stringify(join(root, 'packages/core/dist/features/index.js'))};
      await FeatureSession.open({ input: 'log.csv', mapping: validateMapping({}) });
      process.kill(process.pid, 'SIGINT');
      setTimeout(() => {}, 10_000);`;
    // TMPDIR: where os.tmpdir(), and so the session, puts its directory.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: 'inherit' });
    const [status, by] = await once(child, 'exit');
    expect(readdirSync(tmp)).toEqual([]);
    expect([status, by]).toEqual([null, 'SIGINT']);
  });
});
