import { Args, Flags } from '@oclif/core';
import type { BandTable } from '@cvnet/core';
import { JsonCommand } from '../lib/json-command.js';
import { fail } from '../lib/fail.js';
import { loadConfig, readCustomers } from '../lib/method-input.js';
import { preclassify } from '../lib/method-pipeline.js';

const BAR = 30;

export default class Preclassify extends JsonCommand {
  static override description = `Pre-classify customers by current value C (the study's Table 2).

Every indicator is scored 1-5 with the config's rules, C = R·Wr + F·Wf + M·Wm is the weighted mean of the current-value scores (weights renormalised to sum 1), and customers are counted per band [1,2), [2,3), [3,4), [4,5), C = 5. An empty band is reported as a warning here; sampling and training refuse it.`;

  static override examples = [
    '<%= config.bin %> preclassify survey.csv',
    '<%= config.bin %> preclassify ifood.csv --config examples/ifood/config.json --json',
  ];


  static override args = {
    data: Args.string({ description: 'customer CSV file (header row, one customer per row)', required: true }),
  };

  static override flags = {
    config: Flags.string({ char: 'c', description: 'project config [default: ./cvnet.config.jsonc if present, else the study\'s config]' }),
  };

  async run(): Promise<BandTable> {
    const { args, flags } = await this.parse(Preclassify);
    try {
      const loaded = await loadConfig(flags.config);
      const { config, label } = loaded;
      const input = await readCustomers(args.data);
      const { table, warnings } = preclassify(loaded, input);
      for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
      const total = input.rows.length;
      this.log(`Pre-classification of ${total} customers by current value C = ${config.currentValue.join(' + ')} (weighted), config ${label}:`);
      this.log('  Band  Range of C    Customers  Proportion');
      const max = Math.max(1, ...table.bands.map((b) => b.count));
      for (const b of table.bands) {
        const range = b.band === 5 ? 'C = 5' : `${b.lower} ≤ C < ${b.upper}`;
        const bar = '#'.repeat(Math.round((BAR * b.count) / max));
        this.log(`  ${String(b.band).padEnd(4)}  ${range.padEnd(12)}  ${String(b.count).padStart(9)}  ${(100 * b.proportion).toFixed(1).padStart(8)} %  ${bar}`);
      }
      this.log(`  Total               ${String(total).padStart(9)}     100.0 %`);
      return { bands: table.bands };
    } catch (error) {
      return fail(this, error);
    }
  }
}
