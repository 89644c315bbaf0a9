/** DuckDB and a throwaway PostgreSQL, as the tests that run the exported query on both open them. */
import { openDuck, type Duck } from './duckdb.js';
import { startPostgres, type Postgres } from './postgres.js';

export interface Engines {
  duck: Duck;
  pg: Postgres;
}

/** Opens both; a query that runs away in PostgreSQL fails the test instead of hanging it. */
export async function openEngines(): Promise<Engines> {
  const duck = await openDuck();
  let pg: Postgres | undefined;
  try {
    pg = await startPostgres();
    await pg.client.query("SET statement_timeout = '60s'");
    return { duck, pg };
  } catch (error) {
    duck.close();
    await pg?.stop();
    throw error;
  }
}

/** Closes what {@link openEngines} opened (either may be missing when it failed). */
export async function closeEngines(duck: Duck | undefined, pg: Postgres | undefined): Promise<void> {
  duck?.close();
  await pg?.stop();
}
