import { Args } from '@oclif/core';
import { computeWeights, type MatrixReport } from '@cvnet/core';
import { JsonCommand } from '../lib/json-command.js';
import { fail } from '../lib/fail.js';
import { loadConfig } from '../lib/method-input.js';

export interface WeightsOutput {
  /** How the weights were given: final, experts or ahp. */
  type: string;
  /** Final (global) weight of every indicator, in config order; they sum to 1. */
  weights: Record<string, number>;
  /** Sum of the final weights per dimension. */
  dimensions: Record<string, number>;
  /** Every AHP matrix with its consistency ratio (empty unless type is ahp). */
  matrices: MatrixReport[];
}

export default class Weights extends JsonCommand {
  static override description = `Show the final weight of every indicator and the consistency of every AHP matrix.

Expert weight vectors are averaged and normalised to sum 1; AHP matrices give principal-eigenvector weights (global weight = dimension weight × indicator weight) and are refused when the consistency ratio CR = CI/RI exceeds 0.1; final weights must sum to 1.`;

  static override examples = ['<%= config.bin %> weights cvnet.config.jsonc', '<%= config.bin %> weights examples/ifood/config.json --json'];


  static override args = {
    config: Args.string({ description: 'project config [default: ./cvnet.config.jsonc if present, else the study\'s config]' }),
  };

  async run(): Promise<WeightsOutput> {
    const { args } = await this.parse(Weights);
    try {
      const { config, label } = await loadConfig(args.config);
      const { weights, matrices } = computeWeights(config);
      const dimensions = Object.fromEntries(
        config.dimensions.map((d) => [d.id, config.indicators.filter((i) => i.dimension === d.id).reduce((s, i) => s + weights[i.id]!, 0)]),
      );
      this.log(`Weights (${config.weights.type}) from ${label}:`);
      const width = Math.max(...config.indicators.map((i) => i.id.length));
      for (const d of config.dimensions) {
        this.log(`  ${d.name} [${d.id}]  ${dimensions[d.id]!.toFixed(4)}`);
        for (const i of config.indicators.filter((x) => x.dimension === d.id)) {
          this.log(`    ${i.id.padEnd(width)}  ${weights[i.id]!.toFixed(4)}  ${i.name}`);
        }
      }
      for (const m of matrices) {
        this.log(`  AHP matrix "${m.name}": CR ${m.cr.toFixed(4)} (CI ${m.ci.toFixed(4)}, λmax ${m.lambdaMax.toFixed(4)})`);
      }
      return { type: config.weights.type, weights, dimensions, matrices };
    } catch (error) {
      return fail(this, error);
    }
  }
}
