import { Args, Command, Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import { prepareData } from '@cvnet/core';
import { atomicWriteFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { loadConfig, onData, readCustomers } from '../lib/method-input.js';
import { checkEmptyBands } from '../lib/method-pipeline.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';

/** Columns added to every sampled row (replaced in place when the data already has them). */
const ADDED = ['C', 'band', 'split'] as const;

export default class Sample extends Command {
  static override description = `Draw the stratified sample used for training and testing.

Takes the config's sampleFraction (default 50 %) of every band of current value C, chosen with the config's seed, then splits the sample into a training part (the first trainShare, default 229/274 as in the study, or a seeded shuffle with "shuffleSplit": true) and a test part. Writes the sampled rows in data order with their columns plus C, band and split (train or test). Refuses an empty band unless --allow-empty-bands. --pseudonymize writes HMAC-SHA256 pseudonyms (key in $CVNET_PSEUDONYM_KEY) in the id column.`;

  static override examples = [
    '<%= config.bin %> sample survey.csv --out sample.csv',
    '<%= config.bin %> sample ifood.csv --config examples/ifood/config.json --seed 7 --out sample.csv',
  ];

  static override args = {
    data: Args.string({ description: 'customer CSV file', required: true }),
  };

  static override flags = {
    config: Flags.string({ char: 'c', description: 'project config [default: ./cvnet.config.jsonc if present, else the study\'s config]' }),
    seed: Flags.integer({ description: 'seed of the sample (overrides the config\'s seed)', min: 0 }),
    out: Flags.string({ char: 'o', description: 'CSV file to write [default: standard output]' }),
    'allow-empty-bands': Flags.boolean({ description: 'sample even when a band of C has no customers', default: false }),
    pseudonymize: Flags.boolean({ description: 'write HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY instead of customer ids', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Sample);
    let ids: IdPolicy | undefined;
    try {
      ids = idPolicy(flags.pseudonymize);
      const { config, label } = await loadConfig(flags.config, flags.seed);
      const input = await readCustomers(args.data);
      const p = onData(input.path, label, () => prepareData(config, input.rows, { lines: input.lines }));
      checkEmptyBands(p.table, input.path, flags['allow-empty-bands']);
      for (const w of p.warnings) process.stderr.write(`Warning: ${w}\n`);

      const header = [...input.header, ...ADDED.filter((c) => !input.header.includes(c))];
      const split = new Map<number, string>([...p.train.map((r) => [r, 'train'] as const), ...p.test.map((r) => [r, 'test'] as const)]);
      const rows = p.sample.indices.map((r) => {
        const added: Record<(typeof ADDED)[number], string | number> = { C: p.current[r]!, band: p.bands[r]!, split: split.get(r)! };
        return header.map((name) => {
          if ((ADDED as readonly string[]).includes(name)) return added[name as (typeof ADDED)[number]];
          const value = input.rows[r]![name];
          return name === config.idColumn && ids!.pseudonymized ? ids!.ids(String(value).trim()) : value;
        });
      });
      const text = stringify([header, ...rows]);
      if (flags.out === undefined) process.stdout.write(text);
      else await atomicWriteFile(flags.out, text);

      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      log(`Stratified sample (fraction ${config.sampleFraction}, seed ${config.seed}): ${p.sample.indices.length} of ${input.rows.length} customers; ${p.train.length} train, ${p.test.length} test.`);
      for (const b of p.sample.perBand) log(`  band ${b.band}: ${b.sampled} of ${b.population}`);
      if (flags.out !== undefined) log(`Written to ${flags.out}.`);
    } catch (error) {
      fail(this, pseudonymizeError(error, ids));
    }
  }
}
