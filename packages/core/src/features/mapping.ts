/**
 * The mapping file of `cvnet features`: which source columns hold the
 * customer, order, time, amount, product… of a transaction line, how the file
 * is read, and what counts as a cancellation. Every field is optional: names
 * common in order exports are found by default.
 */
import { z } from 'zod';
import { invalidConfigError } from '../config-issues.js';
import { ConfigError } from '../errors.js';
import { parseJsonc } from '../indicators/jsonc.js';

const column = z.string().min(1);

/** Roles a source column can play; the keys of `mapping.columns`. */
export const ROLES = [
  'customer', 'order', 'timestamp', 'amount', 'quantity', 'unitPrice', 'product', 'category',
  'status', 'rating', 'visits', 'timeOnSite', 'membership',
] as const;
export type Role = (typeof ROLES)[number];

export const mappingSchema = z.strictObject({
  description: z.string().optional(),
  /**
   * How to read the input: `csv` (delimiter sniffed unless given), `whitespace`
   * (fields separated by runs of spaces, as CDNOW) or `parquet`.
   * @default by extension: .parquet → parquet, else csv
   */
  format: z.enum(['csv', 'whitespace', 'parquet']).optional(),
  /** CSV field delimiter. @default sniffed by DuckDB */
  delimiter: z.string().length(1).optional(),
  /**
   * Several files joined by `query`: table name → file path (relative paths
   * are resolved against the input argument, a directory, or the mapping file's directory).
   */
  tables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1)).optional(),
  /** SQL over `tables` giving one row per transaction line (required with `tables`). */
  query: z.string().min(1).optional(),
  /** Source column per role; absent roles are looked up among common names. */
  columns: z.partialRecord(z.enum(ROLES), column).default({}),
  /** strptime format of the timestamp column, e.g. "%Y%m%d". @default DuckDB's ISO cast */
  dateFormat: z.string().min(1).optional(),
  /** Order ids starting with this are cancellations (returns); null turns it off. @default "C" */
  cancelledPrefix: z.string().min(1).nullable().default('C'),
  /** Values of the status column that mark a cancelled (never paid) order. @default [] */
  cancelledStatuses: z.array(z.string()).default([]),
  /** Exact duplicate lines: "drop" (counted, excluded) or "keep" (counted, used). @default "drop" */
  duplicates: z.enum(['drop', 'keep']).default('drop'),
  /** Columns ignored when looking for duplicate lines (e.g. a row index). @default [] */
  ignoreColumns: z.array(column).default([]),
  /** Days before as-of (inclusive) counted for frequency, monetary, repeat and cross purchases. @default 365 */
  windowDays: z.number().int().min(1).default(365),
});

export type Mapping = z.output<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

/** Common source names per role, compared case-insensitively with _ and spaces ignored. */
const DEFAULT_NAMES: Record<Role, readonly string[]> = {
  customer: ['customerid', 'customer', 'customeruniqueid', 'clientid', 'userid', 'buyerid'],
  order: ['orderid', 'invoiceno', 'invoice', 'invoiceid', 'ordernumber', 'transactionid'],
  timestamp: ['invoicedate', 'orderdate', 'timestamp', 'date', 'orderpurchasetimestamp', 'purchasedate', 'createdat', 'datetime'],
  amount: ['amount', 'totalprice', 'total', 'revenue', 'sales', 'dollarvalue', 'ordervalue', 'paymentvalue', 'linetotal'],
  quantity: ['quantity', 'qty', 'units'],
  unitPrice: ['unitprice', 'price', 'itemprice'],
  product: ['stockcode', 'productid', 'sku', 'product', 'itemid'],
  category: ['category', 'productcategory', 'productcategoryname', 'categoryname'],
  status: ['status', 'orderstatus'],
  rating: ['rating', 'reviewscore', 'score', 'stars'],
  visits: ['visits', 'sessions', 'pageviews'],
  timeOnSite: ['timeonsite', 'sessionduration', 'duration'],
  membership: ['membership', 'member', 'ismember', 'loyaltymember'],
};

const squash = (s: string): string => s.toLowerCase().replace(/[\s_\-]/g, '');

/** The source columns actually used, per role (absent roles omitted). */
export type ResolvedColumns = Partial<Record<Role, string>>;

/**
 * Source column per role: the mapping's choice (which must exist) or the
 * first common name present. Customer, timestamp and an amount (or quantity
 * and unit price) are required.
 *
 * @throws ConfigError naming the missing role and the columns there are.
 */
export function resolveColumns(mapping: Mapping, available: readonly string[], source: string): ResolvedColumns {
  const out: ResolvedColumns = {};
  const shown = available.map((c) => JSON.stringify(c)).join(', ');
  for (const role of ROLES) {
    const chosen = mapping.columns[role];
    if (chosen !== undefined) {
      if (!available.includes(chosen)) {
        throw new ConfigError(`mapping columns.${role} is "${chosen}", which is not a column of ${source} (columns: ${shown})`, { path: `columns.${role}` });
      }
      out[role] = chosen;
      continue;
    }
    const found = DEFAULT_NAMES[role].map((n) => available.find((c) => squash(c) === n)).find((c) => c !== undefined);
    if (found !== undefined) out[role] = found;
  }
  // An amount column wins; quantity × unit price otherwise. A unit price found
  // by default alongside an amount is not used (Olist's item "price").
  if (out.amount !== undefined && mapping.columns.unitPrice === undefined) delete out.unitPrice;
  const need = (role: Role, hint: string): void => {
    if (out[role] === undefined) {
      throw new ConfigError(`${source}: no ${hint} column; name it in the mapping as columns.${role} (columns: ${shown})`, { path: `columns.${role}` });
    }
  };
  need('customer', 'customer id');
  need('timestamp', 'timestamp/date');
  if (out.amount === undefined && (out.quantity === undefined || out.unitPrice === undefined)) {
    throw new ConfigError(
      `${source}: no amount column and no quantity × unit price pair; name columns.amount, or columns.quantity and columns.unitPrice, in the mapping (columns: ${shown})`,
      { path: 'columns.amount' },
    );
  }
  return out;
}

/**
 * Parses and validates a mapping (JSON, or JSONC with comments).
 *
 * @throws ConfigError with the path of every problem, or the line:column of a syntax error.
 */
export function parseMapping(text: string, file = 'mapping'): Mapping {
  return validateMapping(parseJsonc(text, file), file);
}

/** Validates a parsed mapping object and applies defaults. */
export function validateMapping(value: unknown, file = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) {
    throw invalidConfigError(file, parsed.error);
  }
  const m = parsed.data;
  if ((m.tables === undefined) !== (m.query === undefined)) {
    throw new ConfigError(`${file}: "tables" and "query" go together (the query joins the tables into transaction lines)`, { path: m.tables ? 'query' : 'tables' });
  }
  return m;
}
