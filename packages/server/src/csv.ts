/**
 * CSV (RFC 4180) in and out with no Node built-ins, so the same code runs on
 * workerd: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM.
 */
import { HttpProblem } from './problem.js';

export interface CsvTable {
  header: string[];
  /** Data rows with the 1-based line each starts on (quoted fields may span lines). */
  records: { fields: string[]; line: number }[];
}

/**
 * Parses CSV text with a header row.
 *
 * @param maxRecords more data rows than this is a 413 problem.
 * @throws HttpProblem 400 for an unterminated quote, a stray quote or a row
 *   whose field count differs from the header's.
 */
export function parseCsv(text: string, maxRecords: number): CsvTable {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  const malformed = (what: string): HttpProblem => new HttpProblem('malformed-body', `CSV line ${line}: ${what}`);
  const endRow = (): void => {
    fields.push(field);
    field = '';
    // A blank line (e.g. the file's last newline twice) is not a customer.
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ fields, line: rowLine });
    fields = [];
    if (rows.length > maxRecords + 1) {
      throw new HttpProblem('too-many-customers', `the CSV body has more than ${maxRecords} customers (the limit per request)`);
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw malformed('text after a closing quote');
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw malformed('a quote inside an unquoted field');
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw malformed('a quoted field is not closed');
  if (field !== '' || fields.length > 0) endRow();
  const [head, ...records] = rows;
  if (head === undefined) throw new HttpProblem('malformed-body', 'the CSV body is empty; expected a header row');
  for (const record of records) {
    if (record.fields.length !== head.fields.length) {
      throw new HttpProblem(
        'malformed-body',
        `CSV line ${record.line}: ${record.fields.length} fields, but the header has ${head.fields.length}`,
      );
    }
  }
  return { header: head.fields, records };
}

/** One CSV line (with its newline), quoting fields that need it. */
export function csvLine(values: readonly (string | number)[]): string {
  return `${values.map((v) => (typeof v === 'string' && /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v))).join(',')}\n`;
}
