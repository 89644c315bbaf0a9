/**
 * Minimal RFC 4180 CSV writing for plain records (ids and numbers), without
 * Node built-ins so it runs in browsers and workers too.
 */

function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvOptions {
  /** Column order; @default the keys of the first row */
  columns?: readonly string[];
  /**
   * Lines written first, each prefixed with "# " (read back with csv-parse's
   * `comment: '#'`). Use it to label synthetic data.
   */
  comment?: string;
}

/** Rows as CSV text with a header line and CRLF line ends. */
export function toCsv(rows: readonly Readonly<Record<string, string | number | null | undefined>>[], options: CsvOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const lines = options.comment ? options.comment.split(/\r?\n/).map((l) => `# ${l}`) : [];
  lines.push(columns.map(field).join(','));
  for (const row of rows) lines.push(columns.map((c) => field(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
