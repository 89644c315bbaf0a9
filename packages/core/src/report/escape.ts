/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number for display: fixed digits, with non-finite values spelled out. */
export function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A number for an SVG attribute (short, no exponent surprises). */
export function px(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

/**
 * A count as a table cell shaded by its share of `max` (confusion matrices
 * and cross-tabs). `attributes` go first in the tag, e.g. ` title="…"`.
 */
export function heatCell(value: number, max: number, attributes = ''): string {
  const alpha = (value / max) * 0.85;
  return `<td${attributes} style="background:rgba(58,110,165,${fmt(alpha, 3)});color:${alpha > 0.5 ? '#fff' : '#222'}">${value}</td>`;
}

/** Drops control characters so untrusted text cannot move the terminal cursor. */
export function stripControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}
