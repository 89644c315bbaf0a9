// Writes bench/results.json, bench/RESULTS.md (tables) and bench/results.svg
// (self-contained bar charts), each via a temporary file and a rename.
import { readFile, rename, writeFile } from 'node:fs/promises';

async function atomicWrite(name, text) {
  const url = new URL(name, import.meta.url);
  const tmp = new URL(`${name}.${process.pid}.tmp`, import.meta.url);
  await writeFile(tmp, text);
  await rename(tmp, url);
  console.log(`wrote ${url.pathname}`);
}

const fmt = (v, digits = 2) => (v >= 100 ? v.toFixed(0) : v.toFixed(digits));
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Groups of records compared with each other: one per suite and n. */
function groups(records, suites) {
  const out = [];
  for (const suite of suites) {
    for (const n of [...new Set(records.filter((r) => r.suite === suite).map((r) => r.n))]) {
      out.push({ suite, n, rows: records.filter((r) => r.suite === suite && r.n === n) });
    }
  }
  return out;
}

function throughputTable({ suite, n, rows }, flops) {
  const base = (tool) => rows.find((r) => r.tool === tool && r.threads === 1)?.value;
  const tfw = base('tfjs-wasm');
  const js = base('js-plain');
  const lines = [
    `### ${suite === 'train' ? 'Training' : 'Scoring'}, n = ${n.toLocaleString('en')}`,
    '',
    `| tool | threads | precision | ${rows[0].unit} (M) | GFLOP/s | × TF.js-WASM | × plain JS |`,
    '|---|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of [...rows].sort((a, b) => b.value - a.value)) {
    lines.push(
      `| ${r.tool} | ${r.threads} | ${r.precision} | ${fmt(r.value / 1e6, 3)} | ${fmt((r.value * flops) / 1e9)} | ${tfw ? fmt(r.value / tfw) : '–'} | ${js ? fmt(r.value / js) : '–'} |`,
    );
  }
  return lines.join('\n');
}

function cliTable(rows) {
  const lines = ['### CLI end to end', '', '| tool | n | value | unit |', '|---|---:|---:|---|'];
  for (const r of rows) lines.push(`| ${r.tool} | ${r.n.toLocaleString('en')} | ${fmt(r.value, 1)} | ${r.unit} |`);
  return lines.join('\n');
}

function svg(records) {
  const charts = groups(records, ['train', 'score']);
  const barH = 16;
  const width = 760;
  const left = 200;
  let y = 30;
  const parts = [];
  for (const { suite, n, rows } of charts) {
    const sorted = [...rows].sort((a, b) => b.value - a.value);
    const max = sorted[0].value;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${suite === 'train' ? 'Training' : 'Scoring'}, n = ${n.toLocaleString('en')} (${esc(rows[0].unit)}, millions)</text>`);
    y += 10;
    for (const r of sorted) {
      const w = Math.max(1, ((width - left - 90) * r.value) / max);
      const color = r.tool.startsWith('cvnet') ? '#2b6cb0' : r.tool.startsWith('tfjs') ? '#dd6b20' : '#718096';
      const label = `${r.tool}${r.threads > 1 ? ` ×${r.threads}` : ''}`;
      parts.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(label)}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 3}" fill="${color}"/>`);
      parts.push(`<text x="${left + w + 4}" y="${y + 12}">${fmt(r.value / 1e6, 3)}</text>`);
      y += barH;
    }
    y += 24;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

/**
 * results.json is shared with the HTTP and web-size benchmarks (suites "http"
 * and "web"), which run separately: keep their records and replace only the
 * suites this run measured.
 */
async function mergedRecords(records) {
  const measured = new Set(records.map((r) => r.suite));
  let previous = [];
  try {
    previous = JSON.parse(await readFile(new URL('results.json', import.meta.url), 'utf8'));
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return [...previous.filter((r) => !measured.has(r.suite)), ...records];
}

export async function writeReport({ records, notes, machine, flops }) {
  await atomicWrite('results.json', `${JSON.stringify(await mergedRecords(records), null, 2)}\n`);
  const md = [
    '# cvnet benchmark results',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores available, Node ${machine.node} (V8 ${machine.v8}); ${machine.date}; 1-minute load average ${machine.load.map((l) => l.toFixed(1)).join(' → ')} (start → end: above ~0.5 the machine was shared and the figures understate the tools)${machine.quick ? ' — **--quick run: smoke test, figures not meaningful**' : ''}.`,
    `Network 14–29–1 (tansig/logsig): ${flops.train} flops per training sample-epoch, ${flops.score} per scored customer.`,
    'Throughputs are medians over repeated timed calls after a warm-up (tinybench); produced by `npm run bench`.',
    '',
    'Tools: `cvnet-wasm-f64-scalar` = the f64 kernels one sample per operation; `-f64-simd` = f64x2 (exact transfer',
    'functions, results equal to the scalar kernels up to reassociation of sums over samples, tested to 1e-12 relative);',
    '`-f32-simd` = `precision: \'f32\'` (f32x4, rational tanh; tested: outputs within 2e-5 of f64, final perf within 1 %);',
    '`cvnet-threads-*` = `trainThreaded` (one Wasm instance per worker, parameters and partial sums exchanged through a',
    'SharedArrayBuffer, reduced in worker order: bit-identical for a thread count, within 1e-10 of one thread);',
    '`js-reference` = the TypeScript reference engine; `js-plain` = bench/plain.js, a hand-written Float64Array loop.',
    'All train full-batch except brain.js. cvnet runs traingdx, where an epoch whose trial step is rejected costs one forward pass only.',
    'cvnet scores 64 customers at a time in an L1-sized workspace (inputs transposed and checked for NaN/±Infinity on the way in, then',
    'one matrix pass per layer and a separate transfer-function pass), with the same bits as the training forward pass.',
    '',
    ...groups(records, ['train', 'score']).flatMap((g) => [throughputTable(g, flops[g.suite]), '']),
    cliTable(records.filter((r) => r.suite === 'cli')),
    '',
    '## Notes',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    'Charts: [results.svg](results.svg). Raw records: [results.json](results.json).',
    'HTTP load (`npm run bench:http`): [RESULTS-http.md](RESULTS-http.md). Web page size (`npm run bench:web`): [RESULTS-web.md](RESULTS-web.md).',
    '',
  ].join('\n');
  await atomicWrite('RESULTS.md', md);
  await atomicWrite('results.svg', svg(records));
}
