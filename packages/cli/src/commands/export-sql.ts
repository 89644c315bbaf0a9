import { Command, Flags } from '@oclif/core';
import { SQL_DIALECTS, modelToSql, type SqlDialect } from '@cvnet/core';
import { readModelFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { writeOutputTo } from '../lib/stdout.js';

export default class ExportSql extends Command {
  static override description = `Write a trained model as one SQL SELECT that scores customers where the data lives.

The query reads a table with one row per customer (the raw source columns, or indicator scores with --input scores) and returns the id, the indicator scores, current value C and its band, K, class and strategy: the model's cut points and maps as CASE expressions, min-max normalisation with the training ranges, the network layer by layer, with the weights written to round-trip float64. K agrees with cvnet classify to rounding (tested to 1e-9 in DuckDB and PostgreSQL). A network too large for the engine's query limits is refused. See docs/sql.md.`;

  static override examples = [
    '<%= config.bin %> export-sql --model model.json --dialect duckdb --out score.sql',
    '<%= config.bin %> export-sql --model model.json --dialect bigquery --table shop.customers --id-column customer_id > score.sql',
  ];

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file written by cvnet train from a project config', required: true }),
    dialect: Flags.string({ char: 'd', description: 'SQL engine', options: [...SQL_DIALECTS], required: true }),
    table: Flags.string({ description: 'table or view with one row per customer (schema.table allowed)', default: 'customers' }),
    'id-column': Flags.string({ description: "column holding the customer id [default: the model's idColumn]" }),
    input: Flags.string({ description: 'raw: source columns; scores: indicator score columns named after the indicators', options: ['raw', 'scores'], default: 'raw' }),
    columns: Flags.string({ description: 'typed: numbers/dates typed, empty = NULL; text: every column text, as loaded from CSV', options: ['typed', 'text'], default: 'typed' }),
    invalid: Flags.string({ description: 'a value the model cannot score (with --columns text also text that is no number or date) stops the query (error) or scores the customer NULL (null)', options: ['error', 'null'], default: 'error' }),
    'ignore-limits': Flags.boolean({ description: "write the query even past the engine's default size limits", default: false }),
    out: Flags.string({ char: 'o', description: 'SQL file to write [default: standard output]' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ExportSql);
    try {
      const model = await readModelFile(flags.model);
      const sql = modelToSql(model, {
        dialect: flags.dialect as SqlDialect,
        table: flags.table,
        ...(flags['id-column'] === undefined ? {} : { idColumn: flags['id-column'] }),
        input: flags.input as 'raw' | 'scores',
        columns: flags.columns as 'typed' | 'text',
        invalid: flags.invalid as 'error' | 'null',
        checkLimits: !flags['ignore-limits'],
      });
      await writeOutputTo(flags.out, [sql]);
    } catch (error) {
      fail(this, error);
    }
  }
}
