import { Args, Command, Flags } from '@oclif/core';
import { loadScorer } from '@cvnet/core/lean';
import { methodOf } from '@cvnet/core/scoring';
import { readModelFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { classifyFile } from '../lib/classify-file.js';
import type { OutputFormat } from '../lib/method-output.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';
import { checkOutIsNotInput, writeOutputTo } from '../lib/stdout.js';

export default class Classify extends Command {
  static override description = `Classify customers with a model trained from a project config.

For every customer: indicator scores on the model's own scale (the cut points fitted at training), current value C and its band, the network's value K, class A-D and its strategy. Rows may hold the raw source columns or the indicator scores under the indicator ids, so this command's own CSV output is valid input again. Output columns: id, C, band, K, class, strategy, then one score column per indicator id; numbers are written in full so K equals the model's to the last digit. Large files are streamed in chunks (flat memory); with --out the file appears only when complete.

--explain appends K_base (K of the baseline customer: the lowest training score of every indicator) and one contrib:<indicator id> column per indicator, the integrated-gradient contributions, which add up to K - K_base. --pseudonymize writes HMAC-SHA256 pseudonyms (key in $CVNET_PSEUDONYM_KEY) instead of the ids.`;

  static override examples = [
    '<%= config.bin %> classify customers.csv --model model.json --out classified.csv',
    '<%= config.bin %> classify customers.csv --model model.json --format jsonl > classified.jsonl',
    '<%= config.bin %> classify customers.csv --model model.json --explain --out explained.csv',
  ];

  static override args = {
    data: Args.string({ description: 'customer CSV file (raw source columns or indicator scores)', required: true }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file written by cvnet train --config or cvnet run', required: true }),
    out: Flags.string({ char: 'o', description: 'file to write [default: standard output]' }),
    format: Flags.string({ description: 'csv, or jsonl (one JSON object per line) [default: jsonl when --out ends in .jsonl or .ndjson, else csv]', options: ['csv', 'jsonl'] }),
    explain: Flags.boolean({ description: 'add K_base and one contrib:<indicator id> column per indicator (contributions to K, summing to K - K_base)', default: false }),
    pseudonymize: Flags.boolean({ description: 'write HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY instead of customer ids', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Classify);
    let ids: IdPolicy | undefined;
    try {
      ids = idPolicy(flags.pseudonymize);
      const format = (flags.format ?? (/\.(jsonl|ndjson)$/i.test(flags.out ?? '') ? 'jsonl' : 'csv')) as OutputFormat;
      const model = await readModelFile(flags.model);
      // A model without a method section is refused here, naming its file.
      methodOf(model, flags.model);
      await checkOutIsNotInput(flags.out, args.data);
      const scorer = await loadScorer();
      // Ids as they are (no mapping) take the Wasm path when the output is plain CSV.
      const mapping = ids.pseudonymized ? { ids: ids.ids } : {};
      const text = classifyFile(scorer, model, args.data, { format, explain: flags.explain, ...mapping });
      await writeOutputTo(flags.out, text);
    } catch (error) {
      fail(this, pseudonymizeError(error, ids));
    }
  }
}
