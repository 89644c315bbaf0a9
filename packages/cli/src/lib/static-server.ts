/**
 * A small static file server for the built web app (`cvnet web`) and the
 * browser tests. It sends the cross-origin isolation headers that let the page
 * share a SharedArrayBuffer with its training worker (clean cancel), and
 * application/wasm so the browser compiles the core while it downloads.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface StaticServerOptions {
  /** Folder to serve; `/` serves its index.html. */
  root: string;
  /** Send COOP/COEP so the page is cross-origin isolated. @default true */
  isolation?: boolean;
  /** Content types by extension (".wasm"), overriding the built-in table. @default none */
  types?: Readonly<Record<string, string>>;
}

/** The file a URL path names under `root`, or undefined when it would leave it. */
function fileFor(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** A server (not yet listening) for the files under `options.root`. */
export function createStaticServer(options: StaticServerOptions): Server {
  const root = resolve(options.root);
  const types = { ...TYPES, ...options.types };
  const common: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    // Same-origin only; lets the page load it under COEP require-corp.
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
    ...(options.isolation === false ? {} : ISOLATION_HEADERS),
  };
  return createServer(async (req, res) => {
    const send = (status: number, text: string): void => {
      res.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'method not allowed\n');
    }
    const file = fileFor(root, req.url ?? '/');
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) return send(404, 'not found\n');
    res.writeHead(200, {
      ...common,
      'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
}

/** Starts listening on 127.0.0.1 (port 0 = any free port); resolves with the page's URL. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolvePromise(`http://${host}:${actual}/`);
    });
  });
}
