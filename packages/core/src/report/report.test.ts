import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGIES } from '../indicators/output-contract.js';
import { DEFAULT_THRESHOLDS, evaluate } from '../method/classify.js';
import { bandTable, type Band } from '../method/current.js';
import { renderReport } from './html.js';
import { renderSummary } from './summary.js';
import type { ReportData } from './types.js';

function data(): ReportData {
  return {
    dataset: 'survey.csv',
    synthetic: true,
    network: { inputs: 14, hidden: 29, outputs: 1, epochs: 3, bestEpoch: 3, stop: 'epochs' },
    bands: bandTable([1, 2, 2, 3, 4, 5] as Band[]),
    sample: { size: 6, train: 4, test: 2 },
    training: { train: [0.5, 0.1, 0.01, 0.001], test: [0.6, 0.2, 0.05, 0.02] },
    customers: [
      { id: '<script>alert(1)</script>', k: 0.9, class: 'A' },
      { id: 'c2', k: 0.55, class: 'B' },
      { id: 'c3', k: 0.1, class: 'D' },
    ],
    thresholds: DEFAULT_THRESHOLDS,
    strategies: { ...DEFAULT_STRATEGIES, D: 'Let go & <b>save</b>' },
    evaluation: evaluate([0.9, 0.1], [0.8, 0.3]),
    weights: [
      { id: 'recency', name: 'Recency (R)', dimension: 'current', weight: 0.6 },
      { id: 'monetary', name: 'Monetary (M)', dimension: 'current', weight: 0.4 },
    ],
    matrices: [{ name: 'dimensions', items: ['current'], cr: 0, ci: 0, lambdaMax: 1, weights: [1] }],
    target: 'comprehensive weighted score',
    warnings: ['indicator "visits": ties <here>'],
    showIds: true,
  };
}

describe('HTML report', () => {
  const html = renderReport(data());

  it('has every section, each with its chart or table', () => {
    for (const id of ['bands', 'training', 'k-distribution', 'classes', 'confusion', 'weights', 'strategies', 'customers', 'target']) {
      expect(html).toContain(`<section id="${id}">`);
    }
    // band bars, MSE lines, K histogram, class bars, weight bars
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).toContain('<polyline');
    expect(html).toContain('class="threshold"');
    expect(html).toContain('comprehensive weighted score');
    expect(html).toContain('Synthetic data');
  });

  it('leaves customer ids out unless asked, and places extra sections before the notes', () => {
    const hidden = renderReport({ ...data(), showIds: false, sections: ['<section id="extra"><h2>Extra</h2></section>'] });
    expect(hidden).not.toContain('c2');
    expect(hidden).not.toContain('alert(1)');
    expect(hidden).toMatch(/<td class="l">#1<\/td><td>0\.9000<\/td>/);
    expect(hidden.indexOf('<section id="extra">')).toBeGreaterThan(hidden.indexOf('<section id="customers">'));
    expect(hidden.indexOf('<section id="extra">')).toBeLessThan(hidden.indexOf('<section id="target">'));
    expect(html).toContain('>c2<');
  });

  it('is self-contained: no external URLs, no scripts', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
  });

  it('escapes untrusted text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Let go &amp; &lt;b&gt;save&lt;/b&gt;');
    expect(html).toContain('ties &lt;here&gt;');
  });

  it('shows the confusion matrix counts', () => {
    // actual A predicted A, actual D predicted C
    expect(html).toMatch(/<tr><th>A<\/th><td[^>]*>1<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td><td>1<\/td><\/tr>/);
    expect(html).toMatch(/<tr><th>D<\/th><td[^>]*>0<\/td><td[^>]*>0<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td><td>1<\/td><\/tr>/);
  });

  it('draws a chart even when the MSE history contains a zero', () => {
    const d = data();
    d.training = { train: [0.5, 0] };
    expect(renderReport(d)).toContain('<polyline');
  });

  it('draws the final test MSE as a level line when there is no per-epoch test curve', () => {
    const d = data();
    d.training = { train: [0.5, 0.1, 0.01], finalTest: 0.02 };
    const html = renderReport(d);
    expect(html).toContain('class="level"');
    expect(html).toContain('test MSE (final)');
    expect(html).toContain('test MSE 0.020000');
    // A per-epoch curve replaces the level line.
    expect(renderReport({ ...d, training: { ...d.training, test: [0.6, 0.2, 0.03] } })).not.toContain('class="level"');
  });
});

describe('terminal summary', () => {
  it('summarises bands, errors, classes and warnings', () => {
    const s = renderSummary(data());
    expect(s).toContain('SYNTHETIC DATA');
    expect(s).toMatch(/band 2 \[2, 3\)\s+2\s+33\.3 %/);
    expect(s).toContain('Network: 14-29-1, 3 epochs (stop: epochs)');
    expect(s).toContain('Classes: A 1, B 1, C 0, D 1');
    expect(s).toContain('Target: comprehensive weighted score');
    expect(s).toContain('Warnings (1):');
  });
});
