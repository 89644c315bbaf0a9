import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Flags } from '@oclif/core';
import { CvnetError, OptionsError } from '@cvnet/core';
import { fail } from '../lib/fail.js';
import { createStaticServer, listen } from '../lib/static-server.js';

/** packages/web/dist, from src/commands or dist/commands alike. */
const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export default class Web extends Command {
  static override description = `Serve the browser app on this machine and print its URL.

The app trains and classifies customers entirely in the page (WebAssembly in a Web Worker): customer files are read by the browser and never sent to this or any server. The server listens on 127.0.0.1 only and sends the cross-origin isolation headers (COOP/COEP) the app uses to cancel a running training cleanly. Stop it with Ctrl-C.`;

  static override examples = [
    '<%= config.bin %> web',
    '<%= config.bin %> web --port 8080',
  ];

  static override flags = {
    port: Flags.integer({ char: 'p', description: 'port on 127.0.0.1 (0 = any free port)', default: 5180, min: 0, max: 65535 }),
    dir: Flags.string({ description: 'folder to serve [default: the built app, packages/web/dist]' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Web);
    try {
      const root = flags.dir === undefined ? WEB_DIST : resolve(flags.dir);
      if (!existsSync(join(root, 'index.html'))) {
        throw new CvnetError('NOT_BUILT', flags.dir === undefined
          ? `${root} has no index.html: build the app first with \`npm run build\` (or \`npm run build:web\`)`
          : `${root} has no index.html`);
      }
      const server = createStaticServer({ root });
      const url = await listen(server, flags.port).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EADDRINUSE' ? new OptionsError(`port ${flags.port} is in use on 127.0.0.1; choose another with --port`) : error;
      });
      this.log(`cvnet web: ${url}`);
      this.log('Serving the app locally; your data stays in the browser. Press Ctrl-C to stop.');
      await new Promise<void>((done) => {
        const stop = (): void => {
          server.close(() => done());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    } catch (error) {
      fail(this, error);
    }
  }
}
