// CLI end to end, each a child process as a user runs it:
// - `cvnet predict` (f64 and f32) over a 14-input CSV and `cvnet classify`
//   over a generated survey (generateSurvey + toCsv, the bundled survey's
//   columns; model trained with `cvnet train --config` on the bundled file):
//   rows/s and peak RSS, against DuckDB merely counting the same file's rows
//   (`SELECT count(*) FROM read_csv(...)`, its default threads): best of 3
//   queries in process (the floor for reading the file) and one whole node
//   process doing it (like-for-like with a cvnet run); and DuckDB reading
//   the survey and writing a CSV of classify's shape (a floor for the same
//   I/O); in a full run also classify on five times the rows, for its peak RSS;
// - start-up: `node -e ""`, `cvnet --version` (Node + oclif) and
//   `cvnet predict` on 10 rows, interleaved round by round so that load
//   changes hit all three alike; medians.
// Needs the CLI built (packages/cli/dist); otherwise every row is skipped.
//   npm run bench            (with the other suites; writes everything)
//   npm run bench:cli [-- --quick] [-- --rows N]
//                            (this suite only; full runs merge the "cli"
//                            records into bench/results.json and write
//                            bench/RESULTS-cli.md; --quick only prints)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile, copyFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticData } from './common.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/bin/run.js');
const commandBuilt = (name) => existsSync(join(root, `packages/cli/dist/commands/${name}.js`));

// Preloaded into each timed child: reports its peak RSS (KiB) on exit. On
// Linux that is VmHWM, the high-water mark of the program's own memory:
// getrusage's maxRSS also counts the moment between fork and exec, when the
// child is still a copy of this bench (which holds the generated data), so
// it reported the bench's size rather than the command's.
const RSS_PRELOAD = `process.on('exit', () => {
  const fs = require('fs');
  let kib = process.resourceUsage().maxRSS;
  try { kib = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
  fs.writeFileSync(process.env.CVNET_BENCH_RSS, String(kib));
});\n`;

async function writeCsv(path, rows, seed) {
  const data = syntheticData(rows, 14, seed);
  const header = ['id', ...Array.from({ length: 14 }, (_, j) => `x${j + 1}`), 'K'].join(',');
  const chunks = [header];
  for (let q = 0; q < rows; q++) {
    const xs = Array.from(data.inputs.subarray(q * 14, q * 14 + 14), (v) => v.toFixed(6));
    chunks.push(`${q + 1},${xs.join(',')},${data.targets[q].toFixed(6)}`);
  }
  await writeFile(path, `${chunks.join('\n')}\n`);
}

/**
 * Survey customers `from` to `to` (ids S00000001…, a seed per 100 000) as CSV,
 * appended to `path` slice by slice so the bench itself stays small; the
 * header comes with the first slice of a file (from = 0).
 */
async function writeSurvey(path, to, from = 0) {
  const { generateSurvey, toCsv } = await import('../packages/core/dist/index.node.js');
  const slice = 100_000;
  for (; from < to; from += slice) {
    // A distinct seed per slice, and ids renumbered so they stay unique.
    const customers = generateSurvey({ customers: Math.min(slice, to - from), seed: 1 + Math.floor(from / slice) })
      .map((row, i) => ({ ...row, id: `S${String(from + i + 1).padStart(8, '0')}` }));
    const text = toCsv(customers);
    await appendFile(path, from === 0 ? text : text.slice(text.indexOf('\n') + 1));
  }
}

/** `from`'s lines after its header in a seeded random order, to `to`: the same rows with ids that do not ascend. */
async function writeShuffled(from, to) {
  const { createPrng, shuffled } = await import('../packages/core/dist/index.node.js');
  const [header, ...lines] = readFileSync(from, 'utf8').trimEnd().split('\n');
  await writeFile(to, `${header}\n${shuffled(lines, createPrng(12345)).join('\n')}\n`);
}

/** The first `count` bytes of a file, as text. */
async function firstBytes(path, count) {
  const file = await open(path);
  try {
    const bytes = Buffer.alloc(count);
    const { bytesRead } = await file.read(bytes, 0, count, 0);
    return bytes.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

/** Runs node with args; returns seconds and peak RSS (MiB), throwing on failure. */
function timed(dir, args) {
  const rssFile = join(dir, 'rss');
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['--require', join(dir, 'rss.cjs'), ...args], {
    env: { ...process.env, CVNET_BENCH_RSS: rssFile }, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (${child.status}): ${child.stderr.slice(0, 500)}`);
  return { seconds, rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const quoteSql = (text) => `'${text.replace(/'/g, "''")}'`;

/** Best of 3 timed runs of `sql` in one in-process DuckDB, seconds; `check` sees each result. */
async function duckBest(sql, check = () => {}) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const reader = await connection.runAndReadAll(sql);
      times.push((performance.now() - t0) / 1000);
      check(reader);
    }
    return Math.min(...times);
  } finally {
    connection.closeSync?.();
  }
}

/** DuckDB counting the rows of `path`: best of 3 timed queries, seconds. */
function duckCount(path, rows) {
  return duckBest(`SELECT count(*) FROM read_csv(${quoteSql(path)})`, (reader) => {
    const count = Number(reader.getRows()[0][0]);
    if (count !== rows) throw new Error(`DuckDB counted ${count} rows in ${path}, expected ${rows}`);
  });
}

/**
 * Seconds (best of 3, in process) for DuckDB to read the survey and write a
 * CSV of classify's shape and size: id, a C and a K with full-precision
 * digits, band, class, a strategy text of classify's length, then the 14
 * scores. A like-for-like floor for reading and writing, without the model.
 */
function duckCopy(path, out, strategy) {
  return duckBest(`COPY (SELECT id, (recency * 0.3 + frequency * 0.3 + monetary * 0.4) / 1.0000001 AS C, floor(recency) AS band,
    (profile + visits / 7.0 + "cross" / 13.0) / 3.0000001 AS K, 'C' AS class, ${quoteSql(strategy)} AS strategy, * EXCLUDE (id)
    FROM read_csv(${quoteSql(path)})) TO ${quoteSql(out)} (HEADER, DELIMITER ',')`);
}

// A whole process that counts a file's rows with DuckDB, like-for-like with a
// cvnet run (Node start, library load, instance start, one query).
const DUCK_PROCESS = `const [url, path, rows] = process.argv.slice(2);
const { DuckDBInstance } = await import(url);
const connection = await (await DuckDBInstance.create(':memory:')).connect();
const reader = await connection.runAndReadAll(\`SELECT count(*) FROM read_csv('\${path.replace(/'/g, "''")}')\`);
if (Number(reader.getRows()[0][0]) !== Number(rows)) throw new Error('DuckDB miscounted ' + path);
`;

/** Seconds of a whole `node` process counting the rows of `path` with DuckDB. */
function duckProcess(dir, path, rows) {
  return timed(dir, [join(dir, 'duck-count.mjs'), import.meta.resolve('@duckdb/node-api'), path, String(rows)]).seconds;
}

export async function cliBench({ quick, rows: given }) {
  const records = [];
  const notes = [];
  const rows = given ?? (quick ? 20_000 : 1_000_000);
  if (!commandBuilt('predict')) {
    notes.push('cli suite skipped: packages/cli is not built (run `npm run build`) or has no predict command.');
    return { records, notes };
  }
  const loadAtStart = os.loadavg()[0];
  const dir = await mkdtemp(join(tmpdir(), 'cvnet-bench-'));
  const record = (tool, n, precision, value, unit) => {
    records.push({ suite: 'cli', tool, n, threads: 1, precision, value, unit });
    console.log(`cli   ${tool.padEnd(26)} n=${String(n).padEnd(8)} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}`);
  };
  try {
    await writeFile(join(dir, 'rss.cjs'), RSS_PRELOAD);
    await writeFile(join(dir, 'duck-count.mjs'), DUCK_PROCESS);
    const big = join(dir, 'big.csv');
    const ten = join(dir, 'ten.csv');
    const model = join(dir, 'model.json');
    await writeCsv(big, rows, 11);
    await writeCsv(join(dir, 'train.csv'), 2000, 12);
    await writeCsv(ten, 10, 13);
    const features = Array.from({ length: 14 }, (_, j) => `x${j + 1}`).join(',');
    timed(dir, [bin, 'train', join(dir, 'train.csv'), '--target', 'K', '--features', features, '--epochs', '50', '--seed', '1', '--out', model]);

    // Scoring throughput and memory, each beside DuckDB's count of the same file.
    const duckBig = await duckCount(big, rows).catch((error) => {
      notes.push(`DuckDB comparison skipped: ${error.message}`);
      return undefined;
    });
    const duckBigProcess = duckBig === undefined ? undefined : duckProcess(dir, big, rows);
    for (const precision of ['f64', 'f32']) {
      const run = timed(dir, [bin, 'predict', big, '--model', model, '--precision', precision, '--out', join(dir, 'scored.csv')]);
      record('cvnet-predict', rows, precision, rows / run.seconds, 'rows/s');
      record('cvnet-predict', rows, precision, run.rssMiB, 'MiB peak RSS');
      if (duckBig !== undefined && precision === 'f64') {
        record('cvnet-predict', rows, precision, run.seconds / duckBig, '× DuckDB count time');
        record('cvnet-predict', rows, precision, run.seconds / duckBigProcess, '× DuckDB count process');
      }
    }
    if (duckBig !== undefined) {
      record('duckdb-count', rows, 'n/a', rows / duckBig, 'rows/s');
      record('duckdb-count-process', rows, 'n/a', rows / duckBigProcess, 'rows/s');
    }

    // Start-up of classify on 10 survey rows, when its model is trained below.
    let classifyTen;
    if (commandBuilt('classify')) {
      try {
        const survey = join(dir, 'survey.csv');
        const config = join(dir, 'cvnet.config.jsonc');
        const methodModel = join(dir, 'method.json');
        await writeSurvey(survey, rows);
        timed(dir, [bin, 'init', '--out', config]);
        timed(dir, [bin, 'train', join(root, 'packages/cli/data/synthetic-survey-548.csv'), '--config', config, '--out', methodModel]);
        const surveyTen = join(dir, 'survey-ten.csv');
        await writeFile(surveyTen, (await firstBytes(survey, 4096)).split('\n').slice(0, 11).join('\n') + '\n');
        classifyTen = [bin, 'classify', surveyTen, '--model', methodModel, '--out', join(dir, 'survey-ten-out.csv')];
        // classify and DuckDB's counting process interleaved, round by round,
        // medians of 5: one run of each is at the mercy of a shared machine's
        // load (classify varied 0.54-0.75 s within one bench run).
        // Round 0 is not counted: it ran 1.5–2× slower than the rest, just
        // after the file was written (the system still writing it out).
        // Each classify run writes a new file (replacing a large one costs
        // its deletion, which is not classify's work). The survey's ids
        // ascend, which spares classify its id lookups; each round also
        // classifies the same rows in shuffled order, where it cannot.
        const shuffled = join(dir, 'survey-shuffled.csv');
        await writeShuffled(survey, shuffled);
        const runs = [];
        const shuffledRuns = [];
        const duckProcesses = [];
        let duckFailure;
        const classify = (file) => timed(dir, [bin, 'classify', file, '--model', methodModel, '--out', join(dir, 'classified.csv')]);
        for (let round = 0; round <= (quick ? 1 : 5); round++) {
          await rm(join(dir, 'classified.csv'), { force: true });
          const run = classify(survey);
          try {
            const duck = duckFailure === undefined ? duckProcess(dir, survey, rows) : undefined;
            if (round > 0 && duck !== undefined) duckProcesses.push(duck);
          } catch (error) {
            duckFailure = error;
          }
          await rm(join(dir, 'classified.csv'), { force: true });
          const shuffledRun = classify(shuffled);
          if (round > 0) {
            runs.push(run);
            shuffledRuns.push(shuffledRun);
          }
        }
        await rm(shuffled);
        const run = { seconds: median(runs.map((r) => r.seconds)), rssMiB: Math.max(...runs.map((r) => r.rssMiB)) };
        const shuffledSeconds = median(shuffledRuns.map((r) => r.seconds));
        record('cvnet-classify', rows, 'f64', rows / run.seconds, 'rows/s');
        record('cvnet-classify', rows, 'f64', run.rssMiB, 'MiB peak RSS');
        record('cvnet-classify-shuffled-ids', rows, 'f64', rows / shuffledSeconds, 'rows/s');
        record('cvnet-classify-shuffled-ids', rows, 'f64', Math.max(...shuffledRuns.map((r) => r.rssMiB)), 'MiB peak RSS');
        try {
          if (duckFailure !== undefined) throw duckFailure;
          const duckSurvey = await duckCount(survey, rows);
          const duckSurveyProcess = median(duckProcesses);
          // The first customer's strategy, quoted in the second line's sixth field.
          const strategy = (await firstBytes(join(dir, 'classified.csv'), 4096)).split('\n')[1]?.split(',"')[1]?.split('"')[0] ?? 'strategy';
          const duckWrite = await duckCopy(survey, join(dir, 'duck-copy.csv'), strategy);
          await rm(join(dir, 'duck-copy.csv'));
          record('cvnet-classify', rows, 'f64', run.seconds / duckSurvey, '× DuckDB count time');
          record('cvnet-classify', rows, 'f64', run.seconds / duckSurveyProcess, '× DuckDB count process');
          record('cvnet-classify-shuffled-ids', rows, 'f64', shuffledSeconds / duckSurveyProcess, '× DuckDB count process');
          record('cvnet-classify', rows, 'f64', run.seconds / duckWrite, '× DuckDB read + write time');
          record('duckdb-count-survey', rows, 'n/a', rows / duckSurvey, 'rows/s');
          record('duckdb-count-survey-process', rows, 'n/a', rows / duckSurveyProcess, 'rows/s');
          record('duckdb-copy-survey', rows, 'n/a', rows / duckWrite, 'rows/s');
        } catch (error) {
          notes.push(`DuckDB comparison for classify skipped: ${error.message}`);
        }
        if (!quick) {
          // Memory must not grow with the file: five times the rows, past the
          // 2 M ids the duplicate check holds in memory before it spills. The
          // first `rows` customers are survey.csv's, so it is copied, not made again.
          await rm(join(dir, 'classified.csv'), { force: true });
          const large = join(dir, 'survey-large.csv');
          await copyFile(survey, large);
          await writeSurvey(large, 5 * rows, rows);
          const largeRun = timed(dir, [bin, 'classify', large, '--model', methodModel, '--out', join(dir, 'classified-large.csv')]);
          record('cvnet-classify', 5 * rows, 'f64', (5 * rows) / largeRun.seconds, 'rows/s');
          record('cvnet-classify', 5 * rows, 'f64', largeRun.rssMiB, 'MiB peak RSS');
          await rm(large);
          await rm(join(dir, 'classified-large.csv'));
        }
      } catch (error) {
        notes.push(`cvnet classify: skipped, ${error.message.split('\n').find((l) => l.includes('Error')) ?? error.message}`);
      }
    } else {
      notes.push('cvnet classify: skipped, the command does not exist yet.');
    }

    // Start-up, interleaved: one run of each per round.
    const reps = quick ? 3 : 15;
    const cases = {
      'node-empty': ['-e', ''],
      'cvnet-version': [bin, '--version'],
      'cvnet-predict-10-rows': [bin, 'predict', ten, '--model', model, '--out', join(dir, 'ten-out.csv')],
      ...(classifyTen ? { 'cvnet-classify-10-rows': classifyTen } : {}),
    };
    const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let r = 0; r < reps + 1; r++) {
      for (const [name, args] of Object.entries(cases)) {
        const ms = timed(dir, args).seconds * 1000;
        if (r > 0) times[name].push(ms); // round 0 warms the file cache
      }
    }
    const ms = Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, median(xs)]));
    for (const [name, value] of Object.entries(ms)) record(name, name.includes('10') ? 10 : 0, 'n/a', value, 'ms start-up');
    record('cvnet-predict-10-rows', 10, 'n/a', ms['cvnet-predict-10-rows'] / ms['cvnet-version'], '× cvnet --version');
    if (classifyTen) record('cvnet-classify-10-rows', 10, 'n/a', ms['cvnet-classify-10-rows'] / ms['cvnet-version'], '× cvnet --version');
    notes.push(`CLI rows: ${rows.toLocaleString('en')} rows; predict reads a 14-input CSV (16 columns), classify the generated survey (15 columns); DuckDB (@duckdb/node-api, default threads) only counts the rows of the same file: "count time" is the best of 3 queries in process after its start (the floor for reading the file), "count process" a whole \`node\` process doing it once (like-for-like with a cvnet run, start-up included; for classify, medians of ${quick ? 1 : 5} rounds after a first one not counted, each a classify run, a DuckDB process, and classify on the same rows shuffled: the survey's ids ascend, which spares classify its id lookups, shuffled they do not); "read + write" DuckDB reading the survey and writing a CSV of classify's shape and size (id, C, band, K, class, the strategy text, the scores; best of 3 in process), the floor for the same I/O without the model. Start-up: medians of ${reps} interleaved rounds, each a whole process including Node's own start; \`cvnet --version\` is Node plus oclif's start-up. 1-minute load average ${loadAtStart.toFixed(2)} → ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cores.`);
  } catch (error) {
    notes.push(`cli suite failed: ${error.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { records, notes };
}

/** bench/RESULTS-cli.md from this suite's records (a full `npm run bench` writes it too, from the same run). */
export function writeCliMarkdown(records, notes) {
  const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const md = `# CLI benchmark (\`npm run bench:cli\`, or the CLI part of \`npm run bench\`)

${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}; ${new Date().toISOString()}.

| tool | n | precision | value | unit |
| --- | ---: | --- | ---: | --- |
${records.map((r) => `| ${r.tool} | ${r.n.toLocaleString('en')} | ${r.precision} | ${fmt(r.value)} | ${r.unit} |`).join('\n')}

${notes.map((n) => `- ${n}`).join('\n')}
`;
  writeFileSync(`${join(root, 'bench/RESULTS-cli.md')}.tmp`, md);
  renameSync(`${join(root, 'bench/RESULTS-cli.md')}.tmp`, join(root, 'bench/RESULTS-cli.md'));
}

/** Standalone run: this suite only; full runs merge into results.json and write RESULTS-cli.md. */
async function main() {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--rows');
  const rows = at > 0 ? Number(process.argv[at + 1]) : undefined;
  const { records, notes } = await cliBench({ quick, rows });
  for (const note of notes) console.log(`note: ${note}`);
  if (quick || records.length === 0) return;
  const path = join(root, 'bench/results.json');
  const previous = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : [];
  writeFileSync(`${path}.tmp`, `${JSON.stringify([...previous.filter((r) => r.suite !== 'cli'), ...records], null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  writeCliMarkdown(records, notes);
  console.log('wrote bench/results.json (suite "cli") and bench/RESULTS-cli.md');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
