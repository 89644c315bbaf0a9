/**
 * Scoring runs kept in a DuckDB file so class history accumulates: one row
 * per snapshot, one row per customer of a snapshot. A run is identified by
 * the SHA-256 of its customers, so storing the same file twice keeps one
 * snapshot. DuckDB is loaded only when a store is used.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { CvnetError, type RunCustomer } from '@cvnet/core';

export interface SnapshotInfo {
  id: number;
  label: string;
  takenAt: string;
  customers: number;
  sha256: string;
}

export interface SnapshotStore {
  /** Stores a run (or finds the identical stored one); returns its snapshot. */
  save(label: string, customers: readonly RunCustomer[]): Promise<SnapshotInfo & { added: boolean }>;
  list(): Promise<SnapshotInfo[]>;
  load(id: number): Promise<RunCustomer[]>;
  close(): void;
}

/** `body` on the store at `path` (opened as openSnapshotStore does), closed afterwards whatever happens. */
export async function withSnapshotStore<T>(path: string, options: { readOnly: boolean }, body: (store: SnapshotStore) => Promise<T>): Promise<T> {
  const store = await openSnapshotStore(path, options);
  try {
    return await body(store);
  } finally {
    store.close();
  }
}

/** Content hash of a run: ids sorted so row order does not matter. */
export function runHash(customers: readonly RunCustomer[]): string {
  const h = createHash('sha256');
  for (const c of [...customers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    h.update(JSON.stringify([c.id, c.class, c.K ?? null, c.C ?? null, c.segment ?? null]));
    h.update('\n');
  }
  return h.digest('hex');
}

const SCHEMA = [
  `CREATE SEQUENCE IF NOT EXISTS cvnet_snapshot_ids START 1`,
  `CREATE TABLE IF NOT EXISTS cvnet_snapshots (
     id INTEGER PRIMARY KEY DEFAULT nextval('cvnet_snapshot_ids'),
     label VARCHAR NOT NULL,
     sha256 VARCHAR NOT NULL UNIQUE,
     taken_at TIMESTAMP NOT NULL,
     customers INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS cvnet_snapshot_customers (
     snapshot_id INTEGER NOT NULL,
     customer_id VARCHAR NOT NULL,
     class VARCHAR NOT NULL,
     k DOUBLE,
     c DOUBLE,
     segment VARCHAR,
     PRIMARY KEY (snapshot_id, customer_id))`,
];

/**
 * Opens a snapshot store: for storing runs, creating it if needed; for
 * reading only (`readOnly`), an existing store, opened read-only, so a
 * mistyped path is an error rather than a new empty store.
 * @throws CvnetError (code STORE) when the file cannot be opened as DuckDB,
 *   or, read-only, does not exist or is not a snapshot store.
 */
async function openSnapshotStore(path: string, { readOnly }: { readOnly: boolean }): Promise<SnapshotStore> {
  if (readOnly && !existsSync(path)) {
    throw new CvnetError('STORE', `${path}: no such snapshot store (file not found); runs are stored with cvnet migrate <before.csv> <after.csv> --store ${path}`);
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  let instance;
  try {
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    throw new CvnetError('STORE', `${path}: cannot open as a DuckDB snapshot store (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const db = await instance.connect();
  if (!readOnly) for (const sql of SCHEMA) await db.run(sql);
  else if (Number((await db.runAndReadAll("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN ('cvnet_snapshots', 'cvnet_snapshot_customers')")).getRowObjectsJS()[0]!.n) < 2) {
    db.closeSync();
    instance.closeSync();
    throw new CvnetError('STORE', `${path}: not a cvnet snapshot store (no cvnet_snapshots and cvnet_snapshot_customers tables)`);
  }
  const info = (r: Record<string, unknown>): SnapshotInfo => ({
    id: Number(r.id),
    label: String(r.label),
    takenAt: String(r.taken_at),
    customers: Number(r.customers),
    sha256: String(r.sha256),
  });
  const list = async (): Promise<SnapshotInfo[]> => (await db.runAndReadAll('SELECT id, label, sha256, CAST(taken_at AS VARCHAR) AS taken_at, customers FROM cvnet_snapshots ORDER BY id')).getRowObjectsJS().map(info);
  return {
    async save(label, customers) {
      const sha256 = runHash(customers);
      const known = (await list()).find((s) => s.sha256 === sha256);
      if (known) return { ...known, added: false };
      await db.run('BEGIN TRANSACTION');
      try {
        const row = (await db.runAndReadAll('INSERT INTO cvnet_snapshots (label, sha256, taken_at, customers) VALUES ($1, $2, now()::TIMESTAMP, $3) RETURNING id', [label, sha256, customers.length])).getRowObjectsJS()[0]!;
        const id = Number(row.id);
        const appender = await db.createAppender('cvnet_snapshot_customers');
        for (const c of customers) {
          appender.appendInteger(id);
          appender.appendVarchar(c.id);
          appender.appendVarchar(c.class);
          if (c.K === undefined) appender.appendNull();
          else appender.appendDouble(c.K);
          if (c.C === undefined) appender.appendNull();
          else appender.appendDouble(c.C);
          if (c.segment === undefined) appender.appendNull();
          else appender.appendVarchar(c.segment);
          appender.endRow();
        }
        appender.closeSync();
        await db.run('COMMIT');
        return { ...(await list()).find((s) => s.id === id)!, added: true };
      } catch (error) {
        await db.run('ROLLBACK');
        throw error;
      }
    },
    list,
    async load(id) {
      const rows = (await db.runAndReadAll('SELECT customer_id, class, k, c, segment FROM cvnet_snapshot_customers WHERE snapshot_id = $1 ORDER BY customer_id', [id])).getRowObjectsJS();
      return rows.map((r) => ({
        id: String(r.customer_id),
        class: String(r.class) as RunCustomer['class'],
        ...(r.k === null ? {} : { K: Number(r.k) }),
        ...(r.c === null ? {} : { C: Number(r.c) }),
        ...(r.segment === null ? {} : { segment: String(r.segment) }),
      }));
    },
    close() {
      db.closeSync();
      instance.closeSync();
    },
  };
}
