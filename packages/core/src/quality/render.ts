/** The data-quality section of the HTML report. */
import { escapeHtml as esc, fmt } from '../report/escape.js';
import type { QualityReport } from './apply.js';

const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x));

export interface QualitySectionOptions {
  /**
   * How to show a flagged customer's id: the identity, a pseudonymiser, or
   * omitted (rows are then named by line only).
   * @default ids are not shown
   */
  showId?: (id: string) => string;
  /** Flagged values listed per column. @default 20 */
  maxFlags?: number;
}

/** `<section id="data-quality">`: every decision with its count. */
export function renderQualitySection(report: QualityReport, options: QualitySectionOptions = {}): string {
  const max = options.maxFlags ?? 20;
  const d = report.duplicates;
  const dupText =
    d.policy === 'fail'
      ? 'Duplicated ids: policy "fail" — none found.'
      : `Duplicated ids: policy "merge" — ${d.rowsMerged} row(s) with ${d.groups} repeated id(s) merged into the first (${d.fieldsFilled} empty field(s) filled, ${d.conflicts} conflicting value(s) kept from the first row).`;
  const missingRows = report.missing
    .map((m) => `<tr><td class="l">${esc(m.column)}</td><td class="l">${esc(m.policy)}</td><td>${m.missing}</td><td>${m.dropped}</td><td>${m.imputed}</td><td>${m.value === undefined ? '–' : esc(typeof m.value === 'number' ? num(m.value) : m.value)}</td></tr>`)
    .join('');
  const outlierRows = report.outliers
    .map((o) => {
      const shown = o.flagged.slice(0, max).map((f) => `${options.showId ? `${esc(options.showId(f.id))} ` : ''}(line ${f.row}): ${esc(num(f.value))}`);
      const more = o.flagged.length > max ? ` … ${o.flagged.length - max} more` : '';
      return `<tr><td class="l">${esc(o.column)}</td><td class="l">${o.method} ${fmt(o.threshold, 2)}</td><td>${esc(num(o.lower))} … ${esc(num(o.upper))}</td><td class="l">${o.action}</td><td>${o.outliers}</td><td>${o.winsorised}</td><td class="l">${shown.join('; ')}${more}</td></tr>`;
    })
    .join('');
  return (
    `<section id="data-quality"><h2>Data quality</h2>` +
    `<p>${report.input} customer rows read, ${report.output} kept (${report.input - report.output} removed).</p><p>${esc(dupText)}</p>` +
    (report.missing.length
      ? `<table><tr><th class="l">Column</th><th class="l">Missing policy</th><th>Empty</th><th>Rows dropped</th><th>Imputed</th><th>Imputed value</th></tr>${missingRows}</table>`
      : '<p>No missing-value policy.</p>') +
    (report.outliers.length
      ? `<table><tr><th class="l">Column</th><th class="l">Method</th><th>Bounds</th><th class="l">Action</th><th>Outliers</th><th>Winsorised</th><th class="l">Values</th></tr>${outlierRows}</table>`
      : '<p>No outlier policy.</p>') +
    `</section>`
  );
}
