// `cvnet features` at scale: 10 million synthetic transaction lines (seeded,
// written to a temp Parquet or CSV file by DuckDB itself), then the feature
// run in a child process so its peak RSS is its own. Run after `npm run build`:
//   node bench/features.bench.js [--rows 10000000] [--csv] [--memory-limit 1GB] [--seed 1]
// Prints seconds per stage and the child's peak RSS. Not a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** Child mode: run the features on a file and report time and peak RSS. */
async function featuresChild(file, memoryLimit) {
  const { FeatureSession, validateMapping } = await import('../packages/core/dist/features/index.js');
  const t0 = performance.now();
  let last = 0;
  const session = await FeatureSession.open({
    input: file,
    mapping: validateMapping({}),
    memoryLimit,
    threads: 2,
    onProgress: (p) => {
      const now = performance.now();
      if (now - last > 5000) {
        last = now;
        process.stderr.write(`  ${p.stage}… ${p.seconds.toFixed(0)} s\n`);
      }
    },
  });
  const read = performance.now();
  const out = join(tmpdir(), `cvnet-bench-customers-${process.pid}.csv`);
  const query = { asOf: '2023-09-30', windowDays: 365, horizonDays: 90 };
  await session.writeCustomers(query, out);
  const written = performance.now();
  const summary = await session.summary(query);
  await session.close();
  rmSync(out, { force: true });
  process.stdout.write(JSON.stringify({
    readSeconds: (read - t0) / 1000,
    aggregateWriteSeconds: (written - read) / 1000,
    totalSeconds: (performance.now() - t0) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    rows: summary.rows,
    customers: summary.customers,
    issues: summary.issues,
  }));
}

async function main() {
  const rows = Number(arg('--rows', '10000000'));
  const seed = Number(arg('--seed', '1'));
  const csv = process.argv.includes('--csv');
  const memoryLimit = arg('--memory-limit', '1GB');
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-bench-'));
  const file = join(dir, csv ? 'transactions.csv' : 'transactions.parquet');
  try {
    const t0 = performance.now();
    const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: memoryLimit, temp_directory: dir });
    const c = await db.connect();
    // Three lines per order; 200,000 customers; two years of dates; about 1 % of lines
    // without a customer, 1 % cancellations (C invoices, negative quantity), 0.5 % zero prices.
    // hash() is deterministic, so the same seed writes the same file.
    await c.run(`COPY (
      SELECT
        CASE WHEN hash(i, ${seed}, 1) % 100 = 0 THEN NULL ELSE CAST(10000 + hash(i // 3, ${seed}, 2) % 200000 AS VARCHAR) END AS CustomerID,
        CASE WHEN hash(i // 3, ${seed}, 3) % 100 = 0 THEN 'C' ELSE '' END || CAST(i // 3 AS VARCHAR) AS InvoiceNo,
        TIMESTAMP '2022-01-01' + to_seconds(CAST(hash(i // 3, ${seed}, 4) % (730 * 86400) AS BIGINT)) AS InvoiceDate,
        'P' || CAST(hash(i, ${seed}, 5) % 5000 AS VARCHAR) AS StockCode,
        'cat' || CAST(hash(i, ${seed}, 5) % 5000 % 40 AS VARCHAR) AS Category,
        (CASE WHEN hash(i // 3, ${seed}, 3) % 100 = 0 THEN -1 ELSE 1 END) * CAST(1 + hash(i, ${seed}, 6) % 12 AS INTEGER) AS Quantity,
        CASE WHEN hash(i, ${seed}, 7) % 200 = 0 THEN 0 ELSE round(0.5 + (hash(i, ${seed}, 8) % 5000) / 100.0, 2) END AS UnitPrice
      FROM range(${rows}) t(i)
    ) TO '${file}' (FORMAT ${csv ? 'csv, HEADER true' : 'parquet'})`);
    c.closeSync();
    db.closeSync();
    const genSeconds = (performance.now() - t0) / 1000;
    console.log(`Generated ${rows.toLocaleString('en')} lines in ${genSeconds.toFixed(1)} s: ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, '--memory-limit', memoryLimit], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`features run failed (exit ${child.status})`);
    const r = JSON.parse(child.stdout);
    console.log(`features: read+classify ${r.readSeconds.toFixed(1)} s, aggregate+write ${r.aggregateWriteSeconds.toFixed(1)} s, total ${r.totalSeconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB (DuckDB memory_limit ${memoryLimit}, 2 threads)`);
    console.log(`  ${r.rows.toLocaleString('en')} lines, ${r.customers.toLocaleString('en')} customers; issues ${JSON.stringify(r.issues)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) await featuresChild(arg('--child'), arg('--memory-limit', '1GB'));
else await main();
