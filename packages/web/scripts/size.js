// The built page's size: every file in packages/web/dist (the page loads all
// of them: HTML, CSS, the page script, the worker chunk and the Wasm), raw and
// as a static server or CDN would send it compressed (gzip -9, brotli q11).
// Writes the "web" records of bench/results.json (other suites kept) and
// bench/RESULTS-web.md, each through a temporary file and a rename.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = join(root, 'packages/web/dist');
const resultsPath = join(root, 'bench/results.json');
const markdownPath = join(root, 'bench/RESULTS-web.md');

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`${dist}/index.html is missing: run \`npm run build\` first`);
  process.exit(2);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const rows = files(dist).sort().map((path) => {
  const bytes = readFileSync(path);
  return {
    file: relative(dist, path),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const total = (key) => rows.reduce((sum, r) => sum + r[key], 0);
const kind = (file) => (file.endsWith('.wasm') ? 'Wasm core' : file.includes('worker') ? 'worker (core, zod, CSV parser)' : file.endsWith('.html') ? 'page HTML' : file.endsWith('.css') ? 'styles' : 'page script');

const record = (value, unit) => ({ suite: 'web', tool: 'cvnet-web', n: 0, threads: 1, precision: 'f64', value, unit });
const records = [record(total('raw'), 'bytes'), record(total('gzip'), 'bytes-gzip'), record(total('brotli'), 'bytes-brotli')];

function atomicWrite(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const existing = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : [];
atomicWrite(resultsPath, `${JSON.stringify([...existing.filter((r) => r.suite !== 'web'), ...records], null, 2)}\n`);

const kb = (n) => (n / 1024).toFixed(1);
const md = [
  '# cvnet web app: page size',
  '',
  'Everything the page transfers to train and classify (`packages/web/dist`, built by `npm run build`),',
  'measured by `npm run bench:web`. Raw is what `cvnet web` sends (it does not compress); gzip -9 and',
  'brotli q11 are what a compressing static host or CDN would send.',
  '',
  '| file | contents | raw KiB | gzip KiB | brotli KiB |',
  '|---|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.file} | ${kind(r.file)} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`),
  `| **total** | | **${kb(total('raw'))}** | **${kb(total('gzip'))}** | **${kb(total('brotli'))}** |`,
  '',
  `Total: ${total('raw')} bytes raw, ${total('gzip')} gzip, ${total('brotli')} brotli`,
  '(records `suite: "web"` in results.json, units `bytes`, `bytes-gzip`, `bytes-brotli`).',
  '',
].join('\n');
atomicWrite(markdownPath, md);
console.log(md);
