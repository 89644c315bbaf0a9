/**
 * --out at something other than a regular file: the writers go through
 * core's writeOutput, so a device or FIFO is written into, never replaced by
 * a regular file, and a symbolic link keeps pointing at the file written.
 * Test nodes are made here with mknod/mkfifo, never real devices.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundled, cvnet, root, setup } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = setup('cvnet-out-targets-');
  const run = cvnet(['run', '--out', 'run'], dir);
  if (run.code !== 0) throw new Error(run.stderr);
  // Two customers, one purchase each, before as-of.
  writeFileSync(join(dir, 'log.csv'), 'InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n1,2020-01-02 10:00:00,c1,A,1,5\n2,2020-01-03 10:00:00,c2,A,2,7\n');
});

/** A fresh directory holding only a node made by `command` (mknod needs root: undefined elsewhere). */
function node(name: string, command: 'mknod' | 'mkfifo'): string | undefined {
  const sub = join(dir, name);
  mkdirSync(sub);
  const path = join(sub, 'target');
  // Major 1, minor 3 is the null device.
  const args = command === 'mknod' ? ['-m', '666', path, 'c', '1', '3'] : [path];
  return spawnSync(command, args).status === 0 ? path : undefined;
}
const canMknod = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'cvnet-mknod-'));
  const ok = spawnSync('mknod', [join(probe, 'n'), 'c', '1', '3']).status === 0;
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

describe('--out at a device, FIFO or symbolic link', () => {
  it.skipIf(!canMknod)('export-sql writes into a character device, which stays one', () => {
    const device = node('device', 'mknod')!;
    const r = cvnet(['export-sql', '-m', 'run/model.json', '-d', 'duckdb', '--out', device], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(join(device, '..'))).toEqual(['target']);
  });

  it('classify replaces the file a symbolic link names and keeps the link', () => {
    mkdirSync(join(dir, 'linked'));
    writeFileSync(join(dir, 'linked', 'real.csv'), 'old');
    symlinkSync('real.csv', join(dir, 'linked', 'scores.csv'));
    const r = cvnet(['classify', bundled, '-m', 'run/model.json', '--out', 'linked/scores.csv'], dir);
    expect(r.code).toBe(0);
    expect(readlinkSync(join(dir, 'linked', 'scores.csv'))).toBe('real.csv');
    expect(readFileSync(join(dir, 'linked', 'real.csv'), 'utf8')).toBe(readFileSync(join(dir, 'run', 'customers.csv'), 'utf8'));
    expect(readdirSync(join(dir, 'linked')).sort()).toEqual(['real.csv', 'scores.csv']);
  });

  it('classify --out /dev/stdout writes into the descriptor, a pipe or a file the shell opened', () => {
    const expected = readFileSync(join(dir, 'run', 'customers.csv'), 'utf8');
    const piped = cvnet(['classify', bundled, '-m', 'run/model.json', '--out', '/dev/stdout'], dir);
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    expect(piped.stdout).toBe(expected);
    // Redirected to a file after a line of its own: replacing that file would lose the line.
    const script = `{ echo before; "${process.execPath}" "${join(root, 'packages/cli/bin/run.js')}" classify "${bundled}" -m run/model.json --out /dev/stdout; } > both.csv`;
    const shell = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect([shell.status, shell.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'both.csv'), 'utf8')).toBe(`before\n${expected}`);
  });

  it('classify, segment and predict refuse an --out that is their input, however it is spelled', () => {
    writeFileSync(join(dir, 'input.csv'), readFileSync(bundled));
    symlinkSync('input.csv', join(dir, 'input-link.csv'));
    const before = readFileSync(join(dir, 'input.csv'), 'utf8');
    const runs = [
      ['classify', 'input.csv', '-m', 'run/model.json', '--out', './input.csv'],
      ['classify', 'input.csv', '-m', 'run/model.json', '--out', 'input-link.csv'],
      ['predict', 'input.csv', '-m', 'run/model.json', '--out', 'input-link.csv'],
      ['segment', 'run/customers.csv', '--out', join('run', '..', 'run', 'customers.csv')],
    ];
    for (const args of runs) {
      const r = cvnet(args, dir);
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr).toMatch(/^Error: --out \S+ is the input file \S+\n$/);
    }
    expect(readFileSync(join(dir, 'input.csv'), 'utf8')).toBe(before);
  });

  it('features --pseudonymize streams into a FIFO and leaves no file beside it', async () => {
    const fifo = node('fifo', 'mkfifo')!;
    // `cat` reads the FIFO in its own process while the CLI writes it.
    const received = join(dir, 'received.csv');
    const out = openSync(received, 'w');
    const reader = spawn('cat', [fifo], { stdio: ['ignore', out, 'inherit'] });
    closeSync(out);
    const r = cvnet(['features', 'log.csv', '--as-of', '2020-01-10', '--pseudonymize', '--out', fifo], dir, { CVNET_PSEUDONYM_KEY: 'output-targets-test-key-0123456789' });
    // Without a writer (a refused run, or the FIFO replaced) cat would wait forever.
    if (r.code !== 0 || !lstatSync(fifo).isFIFO()) reader.kill();
    await once(reader, 'close');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = readFileSync(received, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^customer_id,recency,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(join(fifo, '..'))).toEqual(['target']);
  });
});
