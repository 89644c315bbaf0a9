import { existsSync } from 'node:fs';
import { Command, Flags } from '@oclif/core';
import { CvnetError, initConfigText } from '@cvnet/core';
import { atomicWriteFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { DEFAULT_CONFIG_FILE } from '../lib/method-input.js';

export default class Init extends Command {
  static override description = `Write a commented starting project config.

The config is the study's system: 14 indicators in 3 dimensions (online behaviour, current value, potential value), each read from a survey column of the same name holding a 1-5 Likert score, three experts' weight vectors, a 50 % stratified sample, classes A-D with their strategies. Edit it to map your own columns (cut points, quantiles, categorical maps, AHP matrices: see the comments). The other commands use ./${DEFAULT_CONFIG_FILE} when no --config is given. An existing file is never overwritten without --force.`;

  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --out shop.config.jsonc --force'];

  static override flags = {
    out: Flags.string({ char: 'o', description: 'config file to write', default: DEFAULT_CONFIG_FILE }),
    force: Flags.boolean({ description: 'overwrite an existing file', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    try {
      if (existsSync(flags.out) && !flags.force) {
        throw new CvnetError('EXISTS', `${flags.out} already exists; pass --force to overwrite it`);
      }
      await atomicWriteFile(flags.out, initConfigText());
      this.log(`Wrote ${flags.out} (the study's 14 indicators; edit it, then: cvnet run <data.csv> --config ${flags.out}).`);
    } catch (error) {
      fail(this, error);
    }
  }
}
