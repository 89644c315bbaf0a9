/** Rendering a result: distributions, the K histogram and the sortable customer table. */
import { barChart, contributionChart, esc, kHistogram } from './charts.js';
import type { Customer, Explanation, Result } from './protocol.js';

export const CLASS_COLOURS = { A: '#1b7837', B: '#5aae61', C: '#f1a340', D: '#b2182b' } as const;
const CLASSES = ['A', 'B', 'C', 'D'] as const;
const BANDS = [1, 2, 3, 4, 5] as const;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const pct = (n: number, total: number): string => (total ? ((100 * n) / total).toFixed(1) : '0.0');

function renderClasses(result: Result): void {
  const counts = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<(typeof CLASSES)[number], number>;
  for (const c of result.customers) counts[c.class]++;
  const total = result.customers.length;
  const t = result.thresholds;
  const range = { A: `K ≥ ${t.A}`, B: `${t.B} ≤ K < ${t.A}`, C: `${t.C} ≤ K < ${t.B}`, D: `K < ${t.C}` };
  $('class-chart').innerHTML = barChart('Customers per class', CLASSES.map((c) => ({ label: `class ${c}`, value: counts[c], color: CLASS_COLOURS[c] })));
  $('classes').innerHTML = '<tr><th>Class</th><th>K</th><th>Customers</th><th>%</th><th class="l">Strategy</th></tr>' +
    CLASSES.map((c) => `<tr><td><span class="badge ${c}">${c}</span></td><td>${esc(range[c])}</td>` +
      `<td data-testid="class-count-${c}">${counts[c]}</td><td>${pct(counts[c], total)}</td><td class="l">${esc(result.strategies[c])}</td></tr>`).join('');
}

function renderBands(customers: readonly Customer[]): void {
  const counts = BANDS.map((b) => customers.filter((c) => c.band === b).length);
  $('band-chart').innerHTML = barChart('Customers per band of C', BANDS.map((b, i) => ({ label: `band ${b}`, value: counts[i]!, color: '#3a6ea5' })));
  $('bands').innerHTML = '<tr><th>Band</th><th>C</th><th>Customers</th><th>%</th></tr>' +
    BANDS.map((b, i) => `<tr><td>${b}</td><td>${b === 5 ? 'C = 5' : `${b} ≤ C < ${b + 1}`}</td><td data-testid="band-count-${b}">${counts[i]}</td><td>${pct(counts[i]!, customers.length)}</td></tr>`).join('');
}

type Key = 'index' | 'id' | 'C' | 'band' | 'K' | 'class' | 'strategy';
const COLUMNS: ReadonlyArray<{ key: Key; title: string }> = [
  { key: 'index', title: '#' }, { key: 'id', title: 'Customer' }, { key: 'C', title: 'C' }, { key: 'band', title: 'Band' },
  { key: 'K', title: 'K' }, { key: 'class', title: 'Class' }, { key: 'strategy', title: 'Strategy' },
];

/** Rows drawn at once; the download has every customer. Thousands of DOM rows would make sorting sluggish. */
const MAX_ROWS = 500;

/**
 * The customer table: click a header to sort by it, again to reverse; click a
 * customer to explain its K. Starts in file order.
 */
export class CustomerTable {
  private rows: { c: Customer; index: number }[] = [];
  private key: Key = 'index';
  private descending = false;

  /** @param onSelect called with the customer's position in the result when a row is clicked */
  constructor(private readonly table: HTMLTableElement, private readonly note: HTMLElement, private readonly onSelect: (index: number) => void = () => {}) {
    table.addEventListener('click', (event) => {
      const tr = (event.target as HTMLElement).closest<HTMLElement>('tbody tr');
      if (tr?.dataset.index !== undefined) {
        for (const selected of this.table.querySelectorAll('tr.selected')) selected.classList.remove('selected');
        tr.classList.add('selected');
        this.onSelect(Number(tr.dataset.index));
        return;
      }
      const th = (event.target as HTMLElement).closest('th');
      const key = th?.dataset.key as Key | undefined;
      if (!key) return;
      this.descending = key === this.key ? !this.descending : key === 'K' || key === 'C';
      this.key = key;
      this.render();
    });
  }

  show(customers: readonly Customer[]): void {
    this.rows = customers.map((c, index) => ({ c, index }));
    this.key = 'index';
    this.descending = false;
    this.render();
  }

  private value(row: { c: Customer; index: number }): string | number {
    return this.key === 'index' ? row.index : row.c[this.key];
  }

  private render(): void {
    const sign = this.descending ? -1 : 1;
    const sorted = [...this.rows].sort((a, b) => {
      const x = this.value(a);
      const y = this.value(b);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return sign * order || a.index - b.index;
    });
    const head = COLUMNS.map(({ key, title }) => {
      const sortState = key === this.key ? (this.descending ? 'descending' : 'ascending') : 'none';
      return `<th data-key="${key}" aria-sort="${sortState}" class="${key === 'strategy' || key === 'id' ? 'l' : ''}">${esc(title)}</th>`;
    }).join('');
    const body = sorted.slice(0, MAX_ROWS).map(({ c, index }) =>
      `<tr data-testid="customer-row" data-index="${index}" data-id="${esc(c.id)}" data-k="${c.K}" data-class="${c.class}" title="Click to see why this K">` +
      `<td>${index + 1}</td><td class="l">${esc(c.id)}</td><td>${c.C.toFixed(3)}</td><td>${c.band}</td>` +
      `<td>${c.K.toFixed(4)}</td><td><span class="badge ${c.class}">${c.class}</span></td><td class="l strategy" title="${esc(c.strategy)}">${esc(c.strategy)}</td></tr>`,
    ).join('');
    this.table.innerHTML = `<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`;
    this.note.textContent = this.rows.length > MAX_ROWS
      ? `Showing ${MAX_ROWS} of ${this.rows.length} customers (sorted); the classified CSV has them all.`
      : `${this.rows.length} customers. Click a column to sort, a customer to see what makes up its K.`;
  }
}

export function renderResult(result: Result, table: CustomerTable): void {
  renderClasses(result);
  renderBands(result.customers);
  $('k-histogram').innerHTML = kHistogram(result.customers.map((c) => c.K), result.thresholds);
  table.show(result.customers);
  $('warnings').innerHTML = result.warnings.map((w) => `<li>${esc(w)}</li>`).join('');
}

/**
 * One customer's explanation: the contribution of each indicator to K, as a
 * chart and a table. Full-precision values sit in data attributes (the text
 * is rounded), so what is shown can be checked to add up to K − K_base.
 */
export function renderExplanation(ex: Explanation): void {
  const card = $('explain-card');
  card.dataset.k = String(ex.K);
  card.dataset.kbase = String(ex.kBase);
  card.dataset.id = ex.id;
  const sum = ex.contributions.reduce((s, v) => s + v, 0);
  $('explain-title').textContent = `customer ${ex.id}`;
  $('explain-summary').textContent = `K = ${ex.K.toFixed(4)} = K_base ${ex.kBase.toFixed(4)} (the weakest customer the model was trained on: ` +
    `the lowest score of every indicator) + the contributions below (sum ${sum >= 0 ? '+' : ''}${sum.toFixed(4)}), by integrated gradients.`;
  const bars = ex.indicators.map((ind, j) => ({ label: ind.name, value: ex.contributions[j]! }));
  $('explain-chart').innerHTML = contributionChart(`Contributions to K of customer ${ex.id}`, bars);
  $('explain-table').innerHTML = '<tr><th class="l">Indicator</th><th>Contribution to K</th></tr>' +
    ex.indicators.map((ind, j) => `<tr data-testid="contribution" data-indicator="${esc(ind.id)}" data-value="${ex.contributions[j]!}"><td class="l">${esc(ind.name)}</td><td>${ex.contributions[j]!.toFixed(6)}</td></tr>`).join('');
  card.hidden = false;
}
