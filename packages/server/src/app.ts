/**
 * The HTTP scoring app: one Hono app on Web-standard APIs only, so the Node
 * entry and the Workers entry serve exactly the same routes and answers.
 * Hosts inject the engine and the model store.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Engine } from '@cvnet/core';
import { requireBearer } from './auth.js';
import { bodyKind, parseJson, readText } from './body.js';
import { notModified } from './conditional.js';
import { docsPage } from './docs-page.js';
import { requestIdOf, silent, type Logger } from './log.js';
import { loadModelState, modelInfo, ModelRejected, type ModelState, type ModelStore } from './model-state.js';
import { HttpProblem, problemBody } from './problem.js';
import { routes, scoreQuerySchema } from './schemas.js';
import { scoreCsv, scoreJson, type ScoreOptions } from './score.js';
import type { SegmentsSetting } from './segments.js';

export interface AppOptions {
  engine: Engine;
  store: ModelStore;
  /** Most customers in one request (JSON array or CSV rows). @default 10000 */
  maxCustomers?: number;
  /** Largest request body in bytes. @default 16 MiB */
  bodyLimit?: number;
  /** When set, /v1/score and GET /v1/model need `Authorization: Bearer <apiToken>`. @default open */
  apiToken?: string;
  /** When set, PUT /v1/model is on and needs `Authorization: Bearer <adminToken>`. @default route off */
  adminToken?: string;
  /**
   * The segment map for models replaced with PUT /v1/model; give hosts' own
   * loadModelState calls the same setting.
   * @default value17 when the model's indicators allow it, else rfm, else none
   */
  segments?: SegmentsSetting;
  /** @default no logs */
  log?: Logger;
}

export const DEFAULT_MAX_CUSTOMERS = 10_000;
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

type Env = { Variables: { requestId: string; customers: number | undefined } };

function problemResponse(c: Context<Env>, error: HttpProblem): Response {
  return c.body(JSON.stringify(problemBody(error, c.get('requestId'))), error.status as 400, {
    ...error.headers,
    'Content-Type': 'application/problem+json',
  });
}

/** The methods routed at `path` (HEAD wherever GET is, as Hono answers it; OPTIONS too), none for an unknown path. */
function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const methods = new Set(routes.filter((r) => r.path === path && r.method !== 'ALL').map((r) => r.method));
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}

/** Builds the app. */
export function createApp(options: AppOptions): OpenAPIHono<Env> {
  const { engine, store } = options;
  const maxCustomers = options.maxCustomers ?? DEFAULT_MAX_CUSTOMERS;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const log = options.log ?? silent;
  const app = new OpenAPIHono<Env>();

  app.use('*', async (c, next) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const start = Date.now();
    await next();
    const status = c.res.status;
    const customers = c.get('customers');
    log({
      level: status >= 500 ? 'error' : 'info', msg: 'request', requestId, method: c.req.method, path: c.req.path, status,
      ms: Date.now() - start, ...(customers === undefined ? {} : { customers }),
    });
  });

  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    log({ level: 'error', msg: 'unhandled error', requestId: c.get('requestId'), error: error.name, message: error.message, stack: error.stack });
    return problemResponse(c, new HttpProblem('internal-error', 'the server could not answer this request; its request id identifies it in the server logs'));
  });
  app.notFound((c) => {
    // Per RFC 9110 (15.5.6), a route that exists under other methods answers 405 with Allow, and OPTIONS lists them.
    // PUT /v1/model is routed always, but answers only with an admin token configured.
    const allowed = allowedMethods(app.routes, c.req.path).filter((method) => method !== 'PUT' || options.adminToken !== undefined);
    if (allowed.length === 0) return problemResponse(c, new HttpProblem('not-found', `there is no route ${c.req.method} ${c.req.path}`));
    const allow = allowed.join(', ');
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { Allow: allow });
    return problemResponse(c, new HttpProblem('method-not-allowed', `${c.req.path} answers ${allow}, not ${c.req.method}`, { headers: { Allow: allow } }));
  });

  /** The model at the start of the request: a swap during it does not affect it. */
  const served = (): ModelState => {
    const state = store.current;
    if (state === undefined) throw new HttpProblem('not-ready', store.reason);
    return state;
  };
  const apiAuth = async (c: Context<Env>): Promise<void> => {
    if (options.apiToken !== undefined) await requireBearer(c.req.header('authorization'), options.apiToken, 'API token (CVNET_API_TOKEN)');
  };

  app.get('/healthz', (c) => c.json({ status: 'ok' as const }));

  app.get('/readyz', (c) => c.json({ status: 'ready' as const, model: served().hash }));

  app.get('/v1/model', async (c) => {
    await apiAuth(c);
    const state = served();
    const etag = `"${state.hash}"`;
    if (notModified(c.req.header('if-none-match'), state.hash)) return c.body(null, 304, { ETag: etag });
    return c.json(modelInfo(state), 200, { ETag: etag });
  });

  app.put('/v1/model', async (c) => {
    if (options.adminToken === undefined) {
      throw new HttpProblem('method-not-allowed', 'model replacement is off: the server was started without CVNET_ADMIN_TOKEN', { headers: { Allow: 'GET, HEAD, OPTIONS' } });
    }
    await requireBearer(c.req.header('authorization'), options.adminToken, 'admin token (CVNET_ADMIN_TOKEN)');
    bodyKind(c.req.raw.headers, ['json']);
    const json = parseJson(await readText(c.req.raw, bodyLimit));
    let state: ModelState;
    try {
      state = await loadModelState(engine, json, 'request body', options.segments === undefined ? {} : { segments: options.segments });
    } catch (error) {
      if (!(error instanceof ModelRejected)) throw error;
      throw new HttpProblem('invalid-model', `the model was not replaced: ${error.message}`, { errors: error.issues });
    }
    const previous = store.current?.hash;
    store.replace(state);
    log({ level: 'info', msg: 'model replaced', requestId: c.get('requestId'), model: state.hash, previous });
    return c.json(modelInfo(state), 200, { ETag: `"${state.hash}"` });
  });

  /** Options from the query string (explain=true|false). */
  const scoreOptions = (c: Context<Env>): ScoreOptions => {
    const query = scoreQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const issue = query.error.issues[0]!;
      const name = String(issue.path[0]);
      throw new HttpProblem('invalid-query', `query parameter ${name}: ${issue.message}, got ${JSON.stringify(c.req.query(name))}`);
    }
    return { explain: query.data.explain === 'true' };
  };

  app.post('/v1/score', async (c) => {
    await apiAuth(c);
    const state = served();
    const options = scoreOptions(c);
    const kind = bodyKind(c.req.raw.headers, ['json', 'csv']);
    const text = await readText(c.req.raw, bodyLimit, kind);
    const headers = { 'X-Cvnet-Model': state.hash };
    if (kind === 'csv') {
      const { stream, count } = scoreCsv(engine, state, text, maxCustomers, options);
      c.set('customers', count);
      return c.body(stream, 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' });
    }
    const { result, count } = scoreJson(engine, state, parseJson(text), maxCustomers, options);
    c.set('customers', count);
    return c.json(result, 200, headers);
  });

  for (const route of routes(maxCustomers, bodyLimit)) app.openAPIRegistry.registerPath(route);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const openapi = () =>
    (document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'cvnet scoring API',
        version: '1.0.0',
        description: 'Scores e-commerce customers with a trained cvnet model: indicator scores, current value C and band, the network\'s value K, class A–D and its marketing strategy, the customer\'s segment and level, and on request each indicator\'s contribution to K.',
      },
    }));
  app.get('/openapi.json', (c) => c.json(openapi()));
  app.get('/docs', (c) => c.html(docsPage(openapi() as Parameters<typeof docsPage>[0])));

  return app;
}
