/**
 * A throwaway PostgreSQL server for the SQL tests: Debian's binaries, a
 * temporary data directory, 127.0.0.1 on a free port and a socket directory
 * inside the temporary directory. PostgreSQL refuses to run as root, so as
 * root (CI) the server runs as the `postgres` system user the package creates.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const TIMEOUT_MS = 60_000;

/** Newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no PostgreSQL server under ${base}: install Debian's postgresql package (as .ci/run does)`);
  return join(base, majors[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function idOf(flag: '-u' | '-g', user: string): number {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`running as root, but there is no "${user}" user to run PostgreSQL as (${r.stderr.trim()})`);
  return Number(r.stdout.trim());
}

export interface Postgres {
  client: pg.Client;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  mkdirSync(sockets);
  if (asRoot) {
    const uid = idOf('-u', 'postgres');
    const gid = idOf('-g', 'postgres');
    chownSync(dir, uid, gid);
    chownSync(sockets, uid, gid);
  }
  const run = (command: string, args: readonly string[]): SpawnSyncReturns<string> => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: TIMEOUT_MS, cwd: dir });
    if (r.status !== 0) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      throw new Error(`${command} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}${log}`);
    }
    return r;
  };
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let started = false;
  try {
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`;
    run(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    started = true;
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: TIMEOUT_MS });
    await client.connect();
    return {
      client,
      stop: async () => {
        try {
          await client.end();
        } finally {
          run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
          cleanup();
        }
      },
    };
  } catch (e) {
    if (started) spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop'], { timeout: TIMEOUT_MS });
    cleanup();
    throw e;
  }
}
