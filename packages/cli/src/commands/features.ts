import { Args, Flags } from '@oclif/core';
import { outputTarget } from '@cvnet/core/data';
import { checkAsOf, checkMemoryLimit, FeatureSession, horizonWarnings, type FeatureSummary } from '@cvnet/core/features';
import { JsonCommand } from '../lib/json-command.js';
import { idMapper } from '../lib/pseudonym-output.js';
import { fail } from '../lib/fail.js';
import { checkCustomers, loadMapping, stageProgress, summaryLines, transactionFlags } from '../lib/transactions.js';

export default class Features extends JsonCommand {
  static override description = `Compute one row of raw indicator values per customer from a transaction log, with an embedded DuckDB.

Reads CSV (any delimiter), whitespace-separated text or Parquet, or several tables joined by the mapping's query. Columns: customer_id, recency (days since the last purchase up to as-of), frequency (distinct orders in the window), monetary (net spend in the window), repeat (products bought in more than one order) and cross (distinct categories, else products) when there is a product column, relationship (days since the first purchase), and rating, visits, time_online, membership when mapped. With --horizon also future_spend (net spend in the days after as-of, at least 0) and future_purchase (0/1).

Cancellations and returns (order ids starting with the mapping's prefix, "C" by default; negative quantities or amounts) net the spend; lines without a customer id, with a bad date or amount, zero amounts, cancelled statuses and (by default) exact duplicate lines are excluded. Every count is reported. A cut with no customer is refused with the reason (the exclusions, or where the purchases lie). The output file is written atomically.`;

  static override examples = [
    '<%= config.bin %> features orders.csv --as-of 2011-09-09 --out customers.csv',
    '<%= config.bin %> features CDNOW_master.txt --map examples/cdnow/mapping.json --as-of 1997-09-30 --horizon 273 --out customers.csv',
    '<%= config.bin %> features olist_subset --map examples/olist/mapping.json --as-of 2018-01-01 --out customers.csv --json',
  ];


  static override args = {
    transactions: Args.string({ description: 'transactions file (.csv, .txt, .parquet), or the directory of the mapping\'s tables', required: true }),
  };

  static override flags = {
    'as-of': Flags.string({ description: 'last day of history, YYYY-MM-DD', required: true }),
    horizon: Flags.integer({ description: 'also compute future_spend and future_purchase over this many days after as-of', min: 1 }),
    out: Flags.string({ char: 'o', description: 'customer CSV file to write', required: true }),
    pseudonymize: Flags.boolean({ description: 'write keyed HMAC-SHA256 pseudonyms instead of customer ids (key in CVNET_PSEUDONYM_KEY)', default: false }),
    ...transactionFlags,
  };

  async run(): Promise<FeatureSummary> {
    const { args, flags } = await this.parse(Features);
    try {
      // Checked before DuckDB reads a possibly large file.
      checkAsOf(flags['as-of']);
      checkMemoryLimit(flags['memory-limit'], '--memory-limit');
      // Fails now, before any work, when the key is missing.
      const ids = flags.pseudonymize ? idMapper(true) : undefined;
      const { mapping, mappingDir } = await loadMapping(flags.map, flags.window);
      // A directory as --out is refused now, not after DuckDB has read the whole source.
      await outputTarget(flags.out);
      const progress = stageProgress(process.stderr.isTTY === true && !this.jsonEnabled());
      const session = await FeatureSession.open({
        input: args.transactions, mapping, memoryLimit: flags['memory-limit'], threads: flags.threads,
        ...(mappingDir === undefined ? {} : { mappingDir }),
        ...(progress.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
      });
      try {
        const query = { asOf: flags['as-of'], windowDays: mapping.windowDays, horizonDays: flags.horizon ?? null };
        // Counted first: a cut without customers is refused before an empty table is written.
        const summary = await session.summary(query);
        checkCustomers(summary, flags['as-of']);
        // Outcomes over a horizon the data does not reach would be zeros that look like lost customers.
        const last = summary.span.last?.slice(0, 10);
        const warnings = flags.horizon === undefined || last === undefined ? [] : horizonWarnings(args.transactions, last, flags['as-of'], flags.horizon);
        await session.writeCustomers(query, flags.out, ids);
        progress.done();
        for (const warning of warnings) process.stderr.write(`Warning: ${warning}\n`);
        for (const line of summaryLines(summary)) this.log(line);
        this.log(`Written to ${flags.out}.`);
        return summary;
      } finally {
        progress.done();
        await session.close();
      }
    } catch (error) {
      return fail(this, error);
    }
  }
}

