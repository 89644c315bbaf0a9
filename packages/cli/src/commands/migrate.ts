import { basename } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BUILTIN_SEGMENTS, OptionsError, compareRuns, renderMigrationPage, renderMigrationText, type MigrationReport, type RunCustomer } from '@cvnet/core';
import { atomicWriteFile } from '@cvnet/core/data';
import { JsonCommand } from '../lib/json-command.js';
import { readRun } from '../lib/beyond-input.js';
import { idMapper } from '../lib/pseudonym-output.js';
import { fail } from '../lib/fail.js';
import { withSnapshotStore, type SnapshotInfo } from '../lib/snapshot-store.js';

export interface MigrateResult {
  before: string;
  after: string;
  /** Snapshots stored or read with --store. */
  snapshots?: SnapshotInfo[];
  migration?: MigrationReport;
}

export default class Migrate extends JsonCommand {
  static override description = `Compare two scoring runs: class (and segment) transitions, value moved, who moved down.

Both files are cvnet classify or cvnet segment output (columns id and class; K, C and segment are used when present) and customers are matched by id. Prints the class transition matrix (rows: before, columns: after), the value (sum of K, else of C) moved along each transition, the segment matrix when both runs have segments, and the customers whose class got worse. --json prints all of it as JSON; --out writes a self-contained HTML page with a flow chart.

With --store FILE.duckdb both runs are also kept as snapshots in a DuckDB file (an identical run is stored once), so history accumulates; a run can then be named @ID, @latest or @previous instead of a file, and --list shows the stored snapshots. Nothing is stored unless both runs are valid.`;

  static override examples = [
    '<%= config.bin %> migrate january.csv february.csv',
    '<%= config.bin %> migrate january.csv february.csv --out migration.html --json > migration.json',
    '<%= config.bin %> migrate january.csv february.csv --store history.duckdb',
    '<%= config.bin %> migrate @previous @latest --store history.duckdb',
  ];


  static override args = {
    before: Args.string({ description: 'earlier run: CSV file, or @ID / @latest / @previous with --store', required: false }),
    after: Args.string({ description: 'later run: CSV file, or @ID / @latest / @previous with --store', required: false }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', description: 'HTML page to write (flow chart, matrices, value moved)' }),
    store: Flags.string({ description: 'DuckDB file keeping every run as a snapshot (created when a run is first stored; --list and @ names need an existing one)' }),
    list: Flags.boolean({ description: 'list the snapshots in --store and exit', default: false }),
    pseudonymize: Flags.boolean({ description: 'replace customer ids by HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY (also in the store)', default: false }),
    'show-ids': Flags.boolean({ description: 'list moved-down customers by id in the --out page (pseudonyms are always shown)', default: false }),
    'max-list': Flags.integer({ description: 'moved-down customers listed in the terminal and the page', default: 20, min: 0 }),
  };

  async run(): Promise<MigrateResult> {
    const { args, flags } = await this.parse(Migrate);
    try {
      if (flags.list) {
        if (!flags.store) throw new OptionsError('--list needs --store FILE.duckdb');
        const snapshots = await withSnapshotStore(flags.store, { readOnly: true }, (store) => store.list());
        if (!this.jsonEnabled()) {
          this.log(snapshots.length ? snapshots.map((s) => `@${s.id}  ${s.takenAt}  ${String(s.customers).padStart(7)} customers  ${s.label}`).join('\n') : 'no snapshots yet');
        }
        return { before: '', after: '', snapshots };
      }
      if (args.before === undefined || args.after === undefined) throw new OptionsError('give two runs to compare: <before.csv> <after.csv>');
      const names = [args.before, args.after] as const;
      const ids = idMapper(flags.pseudonymize);
      // Every input is read and checked, and the page written, before anything is stored: a failing run leaves the store as it was (or absent).
      const files: (RunCustomer[] | undefined)[] = [];
      for (const arg of names) files.push(arg.startsWith('@') ? undefined : await readRun(arg, ids));
      const [before, after] = await resolveRuns(names, files, flags.store);
      // Segments of a shipped map are listed in the map's order; others as they appear.
      const used = new Set([...before.customers, ...after.customers].flatMap((c) => (c.segment ? [c.segment] : [])));
      const map = Object.values(BUILTIN_SEGMENTS).find((m) => [...used].every((s) => m.segments.some((x) => x.id === s)));
      const migration = compareRuns(before.customers, after.customers, map ? { segmentOrder: map.segments.map((s) => s.id) } : {});
      if (flags.out !== undefined) {
        await atomicWriteFile(flags.out, renderMigrationPage(migration, { showIds: flags['show-ids'] || flags.pseudonymize, maxList: flags['max-list'], title: `Class migration: ${basename(args.before)} → ${basename(args.after)}` }));
      }
      const snapshots = flags.store === undefined ? undefined : await this.store(flags.store, names, [before, after]);
      if (!this.jsonEnabled()) this.log(renderMigrationText(migration, { maxList: flags['max-list'] }).trimEnd());
      return { before: args.before, after: args.after, ...(snapshots ? { snapshots } : {}), migration };
    } catch (error) {
      return fail(this, error);
    }
  }

  /** Stores the runs read from files (creating the store if needed); the snapshot of each run, in argument order. */
  private async store(path: string, names: readonly string[], runs: readonly Run[]): Promise<SnapshotInfo[]> {
    if (runs.every((run) => run.snapshot !== undefined)) return runs.map((run) => run.snapshot!);
    return withSnapshotStore(path, { readOnly: false }, async (store) => {
      const snapshots: SnapshotInfo[] = [];
      for (const [i, run] of runs.entries()) {
        if (run.snapshot) {
          snapshots.push(run.snapshot);
          continue;
        }
        const saved = await store.save(basename(names[i]!), run.customers);
        snapshots.push(saved);
        if (!this.jsonEnabled()) process.stderr.write(`${saved.added ? 'Stored' : 'Already stored'}: ${names[i]!} as snapshot @${saved.id}\n`);
      }
      return snapshots;
    });
  }
}

/** A run to compare: a file's customers, or a stored snapshot's. */
interface Run {
  customers: RunCustomer[];
  /** The snapshot an @ID / @latest / @previous argument named. */
  snapshot?: SnapshotInfo;
}

/**
 * Each argument's run: the file already read, or the snapshot it names in
 * the store (opened read-only, so it must exist) as it is before this
 * command stores anything.
 * @throws OptionsError for a snapshot name without --store, or one the store lacks.
 */
async function resolveRuns(names: readonly [string, string], files: readonly (RunCustomer[] | undefined)[], path: string | undefined): Promise<[Run, Run]> {
  const fromFile = (i: 0 | 1): Run | undefined => (files[i] === undefined ? undefined : { customers: files[i] });
  const referenced = names.find((arg) => arg.startsWith('@'));
  if (referenced === undefined) return [fromFile(0)!, fromFile(1)!];
  if (path === undefined) throw new OptionsError(`${referenced} names a stored snapshot; give --store FILE.duckdb`);
  return withSnapshotStore(path, { readOnly: true }, async (store) => {
    const all = await store.list();
    const resolve = async (i: 0 | 1): Promise<Run> => {
      const run = fromFile(i);
      if (run) return run;
      const arg = names[i];
      const pick = arg === '@latest' ? all.at(-1) : arg === '@previous' ? all.at(-2) : all.find((s) => `@${s.id}` === arg);
      if (!pick) throw new OptionsError(`${arg}: no such snapshot in ${path} (${all.length ? `snapshots: ${all.map((s) => `@${s.id}`).join(', ')}` : 'the store is empty'})`);
      return { customers: await store.load(pick.id), snapshot: pick };
    };
    return [await resolve(0), await resolve(1)];
  });
}
