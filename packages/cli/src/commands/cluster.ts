import { Args, Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import { CLASSES, OptionsError, clusterCustomers, loadEngine, methodOf, type ClusterAnalysis } from '@cvnet/core';
import { atomicWriteFile, readModelFile } from '@cvnet/core/data';
import { JsonCommand } from '../lib/json-command.js';
import { readScoredFile } from '../lib/beyond-input.js';
import { fail } from '../lib/fail.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';

export type ClusterResult = Omit<ClusterAnalysis, 'assignment'> & { data: string; customers: number };

export default class Cluster extends JsonCommand {
  static override description = `K-means clusters of customers beside their A-D classes: the unsupervised baseline.

Clusters the indicator scores scaled to [0, 1] (with the model's training ranges when --model is given, else the ranges of the file), with k-means++ seeding and seeded restarts, so a seed always gives the same clusters. Clusters are numbered by descending mean K. Prints the clusters x classes cross-tab with each cluster's size and mean K, the adjusted Rand index of clusters against classes (1 = same grouping, 0 = chance), and each cluster's mean score per indicator. Input is cvnet classify output, or raw customers with --model.`;

  static override examples = [
    '<%= config.bin %> cluster classified.csv --k 4',
    '<%= config.bin %> cluster customers.csv --model model.json --k 5 --seed 7 --out clusters.csv --json',
  ];


  static override args = {
    data: Args.string({ description: 'customer CSV: cvnet classify output, or raw customers with --model', required: true }),
  };

  static override flags = {
    k: Flags.integer({ char: 'k', description: 'number of clusters', default: 4, min: 1 }),
    seed: Flags.integer({ description: 'seed of the k-means++ draws', default: 1 }),
    restarts: Flags.integer({ description: 'seeded k-means runs; the lowest within-cluster error is kept', default: 5, min: 1 }),
    model: Flags.string({ char: 'm', description: 'model file: its indicators and training ranges (needed for raw customers)' }),
    out: Flags.string({ char: 'o', description: 'CSV file with id, class, K and cluster per customer' }),
    pseudonymize: Flags.boolean({ description: 'replace customer ids in --out by HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY', default: false }),
  };

  async run(): Promise<ClusterResult> {
    const { args, flags } = await this.parse(Cluster);
    // Error lines quote ids too (duplicates): they get the pseudonym.
    let policy: IdPolicy | undefined;
    try {
      policy = idPolicy(flags.pseudonymize);
      const { ids } = policy;
      const model = flags.model === undefined ? undefined : await readModelFile(flags.model);
      if (model) methodOf(model, flags.model);
      const file = await readScoredFile(args.data, model, loadEngine);
      if (flags.k > file.customers.length) throw new OptionsError(`--k ${flags.k} is more than the ${file.customers.length} customers in ${args.data}`);
      const analysis = clusterCustomers(file.indicators, file.customers, {
        k: flags.k,
        seed: flags.seed,
        restarts: flags.restarts,
        ...(model ? { ranges: model.inputs } : {}),
      });
      if (flags.out !== undefined) {
        const rows = file.customers.map((c, i) => [ids(c.id), c.class, c.K, analysis.assignment[i]!]);
        await atomicWriteFile(flags.out, stringify([['id', 'class', 'K', 'cluster'], ...rows]));
      }
      const { assignment: _, ...rest } = analysis;
      if (!this.jsonEnabled()) this.log(clusterText(analysis));
      return { data: args.data, customers: file.customers.length, ...rest };
    } catch (error) {
      return fail(this, pseudonymizeError(error, policy));
    }
  }
}

function clusterText(a: ClusterAnalysis): string {
  const lines = [`K-means: k = ${a.k}, seed ${a.seed}${a.converged ? '' : ' (did not converge)'}; adjusted Rand index vs classes ${a.adjustedRand.toFixed(3)}.`, ''];
  lines.push(`${'cluster'.padEnd(9)}${CLASSES.map((c) => c.padStart(7)).join('')}${'size'.padStart(8)}${'mean K'.padStart(9)}`);
  for (const p of a.profiles) {
    lines.push(`${String(p.cluster).padEnd(9)}${CLASSES.map((c) => String(p.classes[c]).padStart(7)).join('')}${String(p.size).padStart(8)}${p.meanK.toFixed(3).padStart(9)}`);
  }
  const w = Math.max(9, ...a.indicators.map((i) => i.length + 1));
  lines.push('', 'Mean score per indicator:', `${''.padEnd(w)}${a.profiles.map((p) => `c${p.cluster}`.padStart(7)).join('')}`);
  a.indicators.forEach((id, j) => lines.push(`${id.padEnd(w)}${a.profiles.map((p) => p.means[j]!.toFixed(2).padStart(7)).join('')}`));
  return lines.join('\n');
}
