import { Command, Flags } from '@oclif/core';
import { OptionsError } from '@cvnet/core';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_CUSTOMERS, tokensFromEnv } from '@cvnet/server';
import { startNodeServer, type NodeServer } from '@cvnet/server/node';
import { fail } from '../lib/fail.js';

export default class Serve extends Command {
  static override description = `Serve a model over HTTP: POST /v1/score, GET /v1/model, /healthz, /readyz, /openapi.json, /docs.

Scores equal "cvnet classify" (same scorer); every customer also gets its segment and level from the segment map (--segments; by default value17 when the model's indicators allow it, else rfm), and ?explain=true adds each indicator's contribution to K. Logs are JSON lines on standard output, the first one saying where the server listens. Tokens come from the environment: CVNET_API_TOKEN (when set, scoring needs it as a bearer token) and CVNET_ADMIN_TOKEN (when set, PUT /v1/model replaces the model with it; otherwise that route is off). SIGTERM or SIGINT stops accepting connections, lets requests in flight finish and exits 0. See docs/server.md.`;

  static override examples = [
    '<%= config.bin %> serve --model model.json',
    'CVNET_API_TOKEN=secret <%= config.bin %> serve --model model.json --host 0.0.0.0 --port 8080 --watch',
    '<%= config.bin %> serve --model model.json --segments my-map.json',
  ];

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file written by cvnet train --config or cvnet run', required: true }),
    port: Flags.integer({ char: 'p', description: 'port (0 picks a free one)', default: 8080, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on (0.0.0.0 for every interface)', default: '127.0.0.1' }),
    watch: Flags.boolean({ description: 'reload the model when its file changes (a bad file is logged; the old model stays)', default: false }),
    'max-customers': Flags.integer({ description: 'most customers in one request', default: DEFAULT_MAX_CUSTOMERS, min: 1 }),
    'body-limit': Flags.integer({ description: 'largest request body in bytes', default: DEFAULT_BODY_LIMIT, min: 1 }),
    segments: Flags.string({ char: 's', description: 'segment map: value17, rfm or a JSON/JSONC map file [default: value17 if the indicators allow, else rfm]' }),
    'drain-ms': Flags.integer({ description: 'on shutdown, how long requests in flight may take before their connections are cut', default: 10_000, min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    let server: NodeServer;
    try {
      const { apiToken, adminToken, problems } = tokensFromEnv(process.env);
      if (problems.length > 0) throw new OptionsError(problems[0]!);
      server = await startNodeServer({
        modelPath: flags.model, port: flags.port, host: flags.host, watch: flags.watch,
        maxCustomers: flags['max-customers'], bodyLimit: flags['body-limit'], drainMs: flags['drain-ms'],
        ...(flags.segments === undefined ? {} : { segments: flags.segments }),
        ...(apiToken === undefined ? {} : { apiToken }),
        ...(adminToken === undefined ? {} : { adminToken }),
      });
    } catch (error) {
      fail(this, error);
    }
    const log = (msg: string, extra: Record<string, unknown> = {}): void => {
      process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...extra })}\n`);
    };
    log('listening', { url: server.url, model: server.store.current?.hash, watch: flags.watch });
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        log('shutting down', { signal });
        void server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    log('stopped');
  }
}
