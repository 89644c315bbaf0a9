/** An in-memory DuckDB for the SQL tests. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface Duck {
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  return {
    run: async (sql) => {
      await connection.run(sql);
    },
    query: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
