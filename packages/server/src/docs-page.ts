/**
 * The human-readable docs page, rendered from the OpenAPI document on the
 * server itself: no scripts, no CDN, so it works offline and on workerd.
 */
import { escapeHtml as escape } from '@cvnet/core';
import { PROBLEMS, type ProblemType } from './problem.js';

interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}

interface Document {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

function operation(path: string, method: string, op: Operation): string {
  const body = op.requestBody?.content ? Object.keys(op.requestBody.content) : [];
  const responses = Object.entries(op.responses ?? {}).map(
    ([status, r]) => `<li><code>${escape(status)}</code> ${escape(r.description ?? '')}${r.content ? ` — <code>${escape(Object.keys(r.content).join(', '))}</code>` : ''}</li>`,
  );
  return `<section><h3><code>${escape(method.toUpperCase())} ${escape(path)}</code> — ${escape(op.summary ?? '')}</h3>
${op.description ? `<p>${escape(op.description)}</p>` : ''}
${op.security && op.security.length > 0 ? '<p><em>Bearer token when configured.</em></p>' : ''}
${(op.parameters ?? []).map((p) => `<p>${escape(p.in)} parameter <code>${escape(p.name)}</code>: ${escape(p.description ?? '')}</p>`).join('')}
${body.length > 0 ? `<p>Request body: <code>${escape(body.join(', '))}</code></p>` : ''}
<ul>${responses.join('')}</ul></section>`;
}

/** The HTML page for `doc`. */
export function docsPage(doc: Document): string {
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => operation(path, m, op)));
  const problems = (Object.keys(PROBLEMS) as ProblemType[]).map(
    (p) => `<li id="problem-${p}"><code>${p}</code> (${PROBLEMS[p].status}): ${escape(PROBLEMS[p].title)}</li>`,
  );
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) => `<details><summary><code>${escape(name)}</code></summary><pre>${escape(JSON.stringify(schema, null, 2))}</pre></details>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto}code{font-size:.95em}</style>
</head><body>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
${doc.info.description ? `<p>${escape(doc.info.description)}</p>` : ''}
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Routes</h2>${ops.join('\n')}
<h2>Problem types</h2><p>Errors are <code>application/problem+json</code> (RFC 9457); <code>type</code> points here.</p><ul>${problems.join('')}</ul>
<h2>Schemas</h2>${schemas.join('\n')}
</body></html>`;
}
