// /api/docs: the OpenAPI document rendered as one self-contained HTML page (no CDN: plant networks
// are often offline), with an anchor per problem type so that problem `type` URIs resolve.
import type { JsonSchema, OpenApiDocument, Operation } from './openapi.document.ts';
import { PROBLEM_CODES } from './openapi.document.ts';
import { APP_ERROR_STATUS } from '../http/app-error.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function schemaBlock(title: string, schema: JsonSchema | undefined): string {
  if (schema === undefined) return '';
  return `<details><summary>${escapeHtml(title)}</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`;
}

function operationHtml(method: string, path: string, op: Operation): string {
  const body = op.requestBody?.content['application/json']?.schema;
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><code>${status}</code> ${escapeHtml(r.description)}</li>`)
    .join('');
  const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
  const parameters = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? ` — ${escapeHtml(p.description)}` : ''}</li>`,
    )
    .join('');
  return `<section class="op" id="${escapeHtml(op.operationId)}">
  <h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> <span class="access">${escapeHtml(op['x-takt-access'])}</span></h3>
  <p>${escapeHtml(op.summary)}</p>
  ${parameters ? `<h4>Parameters</h4><ul>${parameters}</ul>` : ''}
  ${schemaBlock('Request body schema', body)}
  ${schemaBlock('Response schema', success?.[1].content?.['application/json']?.schema)}
  <h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => operationHtml(method, path, op)),
  );
  const problems = PROBLEM_CODES.map(
    (code) =>
      `<li id="problem-${code.toLowerCase().replaceAll('_', '-')}"><code>${APP_ERROR_STATUS[code]}</code> ${code.toLowerCase().replaceAll('_', ' ')}</li>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#111827;background:#f3f4f6}
header{background:#111827;color:#fff;padding:16px 32px;border-bottom:3px solid #f59e0b}
main{max-width:1100px;margin:0 auto;padding:24px 32px}
.op{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px 20px;margin:12px 0}
.method{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}
.get{background:#2563eb}.post{background:#059669}.put,.patch{background:#d97706}.delete{background:#dc2626}
.access{float:right;font-size:12px;border:1px solid #9ca3af;border-radius:10px;padding:1px 8px;color:#374151}
pre{background:#f9fafb;border:1px solid #e5e7eb;padding:8px;overflow:auto;font-size:12px}
</style></head>
<body><header><h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description)} Machine-readable: <a style="color:#fbbf24" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></header>
<main>${operations.join('\n')}
<h2>Problem types</h2><ul>${problems}</ul></main></body></html>`;
}
