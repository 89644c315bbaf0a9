import { basename } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { BUILTIN_SEGMENTS, OptionsError, compareRuns, renderMigrationPage, renderMigrationText, type MigrationReport, type RunCustomer } from '@cvnet/core';
import { atomicWriteFile } from '@cvnet/core/data';
import { readRun } from '../lib/beyond-input.js';
import { idMapper } from '../lib/pseudonym-output.js';
import { fail } from '../lib/fail.js';
import { openSnapshotStore, type SnapshotInfo, type SnapshotStore } from '../lib/snapshot-store.js';

export interface MigrateResult {
  before: string;
  after: string;
  /** Snapshots stored or read with --store. */
  snapshots?: SnapshotInfo[];
  migration?: MigrationReport;
}

export default class Migrate extends Command {
  static override description = `Compare two scoring runs: class (and segment) transitions, value moved, who moved down.

Both files are cvnet classify or cvnet segment output (columns id and class; K, C and segment are used when present) and customers are matched by id. Prints the class transition matrix (rows: before, columns: after), the value (sum of K, else of C) moved along each transition, the segment matrix when both runs have segments, and the customers whose class got worse. --json prints all of it as JSON; --out writes a self-contained HTML page with a flow chart.

With --store FILE.duckdb both runs are also kept as snapshots in a DuckDB file (an identical run is stored once), so history accumulates; a run can then be named @ID, @latest or @previous instead of a file, and --list shows the stored snapshots.`;

  static override examples = [
    '<%= config.bin %> migrate january.csv february.csv',
    '<%= config.bin %> migrate january.csv february.csv --out migration.html --json > migration.json',
    '<%= config.bin %> migrate january.csv february.csv --store history.duckdb',
    '<%= config.bin %> migrate @previous @latest --store history.duckdb',
  ];

  static override enableJsonFlag = true;

  static override args = {
    before: Args.string({ description: 'earlier run: CSV file, or @ID / @latest / @previous with --store', required: false }),
    after: Args.string({ description: 'later run: CSV file, or @ID / @latest / @previous with --store', required: false }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', description: 'HTML page to write (flow chart, matrices, value moved)' }),
    store: Flags.string({ description: 'DuckDB file keeping every run as a snapshot (created if missing)' }),
    list: Flags.boolean({ description: 'list the snapshots in --store and exit', default: false }),
    pseudonymize: Flags.boolean({ description: 'replace customer ids by HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY (also in the store)', default: false }),
    'show-ids': Flags.boolean({ description: 'list moved-down customers by id in the --out page (pseudonyms are always shown)', default: false }),
    'max-list': Flags.integer({ description: 'moved-down customers listed in the terminal and the page', default: 20, min: 0 }),
  };

  async run(): Promise<MigrateResult> {
    const { args, flags } = await this.parse(Migrate);
    let store: SnapshotStore | undefined;
    try {
      if (flags.list && !flags.store) throw new OptionsError('--list needs --store FILE.duckdb');
      store = flags.store === undefined ? undefined : await openSnapshotStore(flags.store);
      if (flags.list) {
        const snapshots = await store!.list();
        if (!this.jsonEnabled()) {
          this.log(snapshots.length ? snapshots.map((s) => `@${s.id}  ${s.takenAt}  ${String(s.customers).padStart(7)} customers  ${s.label}`).join('\n') : 'no snapshots yet');
        }
        return { before: '', after: '', snapshots };
      }
      if (args.before === undefined || args.after === undefined) throw new OptionsError('give two runs to compare: <before.csv> <after.csv>');
      const ids = idMapper(flags.pseudonymize);
      const snapshots: SnapshotInfo[] = [];
      const load = async (arg: string): Promise<RunCustomer[]> => {
        if (arg.startsWith('@')) {
          if (!store) throw new OptionsError(`${arg} names a stored snapshot; give --store FILE.duckdb`);
          const all = await store.list();
          const pick = arg === '@latest' ? all.at(-1) : arg === '@previous' ? all.at(-2) : all.find((s) => `@${s.id}` === arg);
          if (!pick) throw new OptionsError(`${arg}: no such snapshot in ${flags.store} (${all.length ? `snapshots: ${all.map((s) => `@${s.id}`).join(', ')}` : 'the store is empty'})`);
          snapshots.push(pick);
          return store.load(pick.id);
        }
        const run = await readRun(arg, ids);
        if (store) {
          const saved = await store.save(basename(arg), run);
          snapshots.push(saved);
          if (!this.jsonEnabled()) process.stderr.write(`${saved.added ? 'Stored' : 'Already stored'}: ${arg} as snapshot @${saved.id}\n`);
        }
        return run;
      };
      const before = await load(args.before);
      const after = await load(args.after);
      // Segments of a shipped map are listed in the map's order; others as they appear.
      const used = new Set([...before, ...after].flatMap((c) => (c.segment ? [c.segment] : [])));
      const map = Object.values(BUILTIN_SEGMENTS).find((m) => [...used].every((s) => m.segments.some((x) => x.id === s)));
      const migration = compareRuns(before, after, map ? { segmentOrder: map.segments.map((s) => s.id) } : {});
      if (flags.out !== undefined) {
        await atomicWriteFile(flags.out, renderMigrationPage(migration, { showIds: flags['show-ids'] || flags.pseudonymize, maxList: flags['max-list'], title: `Class migration: ${basename(args.before)} → ${basename(args.after)}` }));
      }
      if (!this.jsonEnabled()) this.log(renderMigrationText(migration, { maxList: flags['max-list'] }).trimEnd());
      return { before: args.before, after: args.after, ...(store ? { snapshots } : {}), migration };
    } catch (error) {
      return fail(this, error);
    } finally {
      store?.close();
    }
  }
}
