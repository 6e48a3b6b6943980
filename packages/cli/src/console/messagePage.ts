import { type AttemptItem, type AuditEntry, isFinal } from '@delivery-history/core';
import { html } from 'hono/html';
import type { historyView } from '../history/history.js';
import { block, type Html, line, page, query, seg } from './consoleHtml.js';

// `/messages/<messageId>`: state, the attempt timeline (duration bars drawn from the data as
// SVG), the request as stored and the headers as sent, kept response headers and snippet,
// re-drives, expunges, the audit trail and the `dh` command that shows the same.

type View = Extract<Awaited<ReturnType<typeof historyView>>, { _tag: 'Right' }>['right'];

const BAR_PX = 160;

const durationMs = (a: AttemptItem): number => Math.max(0, Date.parse(a.completedAt) - Date.parse(a.startedAt));

const headerRows = (headers: Readonly<Record<string, string>>): Html =>
  html`${Object.entries(headers).map(([k, v]) => html`<tr><th scope="row">${line(k)}</th><td>${line(v)}</td></tr>`)}`;

const headersTable = (caption: string, headers: Readonly<Record<string, string>> | undefined): Html =>
  headers === undefined || Object.keys(headers).length === 0
    ? html`<p>${caption}: none</p>`
    : html`<table><caption>${caption}</caption>${headerRows(headers)}</table>`;

const timeline = (attempts: ReadonlyArray<AttemptItem>): Html => {
  if (attempts.length === 0) return html`<p>No attempt yet.</p>`;
  const longest = Math.max(1, ...attempts.map(durationMs));
  return html`<table class="timeline"><caption>Attempts</caption>
<thead><tr><th scope="col">#</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Result</th><th scope="col">Category</th><th scope="col">Code</th><th scope="col">Error</th></tr></thead>
<tbody>${attempts.map((a) => {
    const ms = durationMs(a);
    const r = a.deliveryResult;
    return html`<tr class="${r.success ? 'ok' : 'bad'}"><td>${a.attemptNumber}</td><td><time>${a.startedAt}</time></td>
<td><svg class="bar" width="${BAR_PX}" height="12" role="img" aria-label="${ms} ms"><rect width="${Math.max(1, Math.round((ms / longest) * BAR_PX))}" height="12"></rect></svg> ${ms} ms</td>
<td>${line(a.status)}</td><td>${line(r.category)}</td><td>${r.statusCode ?? '—'} ${line(r.statusText ?? '')}</td>
<td>${line(r.errorDetails?.message ?? '')}</td></tr>`;
  })}</tbody></table>`;
};

const responses = (attempts: ReadonlyArray<AttemptItem>, payloads: boolean): Html =>
  html`${attempts.map((a) => {
    const snippet = a.deliveryResult.errorDetails?.responseSnippet ?? null;
    return html`<section><h3>Attempt ${a.attemptNumber}</h3>
${headersTable('Headers as sent', a.request.sentHeaders)}
${headersTable('Response headers kept', a.response?.headers)}
${payloads ? (snippet === null ? html`<p>No response snippet.</p>` : html`<h4>Response snippet</h4>${block(snippet)}`) : html`<p class="hidden">Response snippet hidden (--no-payloads).</p>`}
</section>`;
  })}`;

const auditRow = (e: AuditEntry): Html =>
  'kind' in e
    ? e.kind === 'redrive'
      ? html`<tr><td><time>${e.at}</time></td><td>re-drive ${e.n}</td><td>by ${line(e.by)}: ${line(e.reason)}</td></tr>`
      : e.kind === 'hold'
        ? html`<tr><td><time>${e.at}</time></td><td>hold ${e.hold} ${e.event} after attempt ${e.n}</td><td>${line(e.mode)} by ${line(e.by)}: ${line(e.reason)}</td></tr>`
        : e.kind === 'requeue'
          ? html`<tr><td><time>${e.at}</time></td><td>requeue ${e.requeue} after attempt ${e.n}</td><td>${line(e.status)} since <time>${e.waitingSince}</time>, by ${line(e.by)}: ${line(e.reason)}</td></tr>`
          : html`<tr><td><time>${e.at}</time></td><td>resolution of attempt ${e.n}</td><td>${e.statusCode ?? '—'} ${line(e.category)}</td></tr>`
    : html`<tr><td><time>${e.at}</time></td><td>attempt ${e.n}</td><td>${line(e.status)} ${e.statusCode ?? '—'} ${line(e.category)} ${e.responseTime} ms (${e.retry})</td></tr>`;

/** The actions this console offers (none with --read-only). */
type Actions = { readonly redrive: boolean; readonly expunge: boolean };

/** Re-drive, and expunge for a final message (the store refuses any other, as `dh expunge` says). */
const actionLinks = (s: View['state'], a: Actions): Html | '' => {
  const expunge = a.expunge && isFinal(s);
  return a.redrive || expunge
    ? html`<p class="actions">${a.redrive ? html`<a href="/redrive${query({ message: s.messageId })}">Re-drive this message…</a> ` : ''}${expunge ? html`<a href="/expunge${query({ message: s.messageId })}" id="expunge-link">Expunge its content…</a>` : ''}</p>`
    : '';
};

export const messagePage = (v: View, payloads: boolean, actions: Actions): Html => {
  const s = v.state;
  const id = s.messageId;
  return page(
    `Message ${line(id)}`,
    html`<dl class="facts">
<dt>Status</dt><dd class="status">${line(s.status)}</dd>
<dt>Attempts</dt><dd>${s.attempts} of ${s.maxAttempts}</dd>
<dt>Endpoint</dt><dd><a href="/endpoints/${seg(s.endpoint)}">${line(s.endpoint)}</a></dd>
<dt>Correlation</dt><dd>${line(s.correlationId ?? '')}</dd>
<dt>Created</dt><dd><time>${s.createdAt}</time></dd>
<dt>Last update</dt><dd><time>${s.lastUpdatedAt}</time></dd>
<dt>Next attempt</dt><dd>${s.nextAttemptAt ?? '—'}</dd>
</dl>
<p>The same in a terminal: <code>dh history ${line(id)}</code></p>
${actionLinks(s, actions)}
${timeline(v.attempts)}
<h2>Request as stored</h2>
<p><code>${line(s.request.method)} ${line(s.request.url)}</code> (${s.request.bodyBytes} bytes)</p>
${headersTable('Request headers', s.request.headers)}
${payloads ? (s.request.body === null ? html`<p>Body not stored (over its budget, or expunged).</p>` : block(s.request.body)) : html`<p class="hidden">Request body hidden (--no-payloads).</p>`}
<h2>Responses</h2>
${responses(v.attempts, payloads)}
<h2>Re-drives</h2>
${v.redrives.length === 0 ? html`<p>None.</p>` : html`<ul>${v.redrives.map((r) => html`<li><time>${r.at}</time> re-drive ${r.redriveNumber} after attempt ${r.afterAttempt} by ${line(r.requestedBy)}: ${line(r.reason)}</li>`)}</ul>`}
<h2>Expunges</h2>
${v.expunges.length === 0 ? html`<p>None.</p>` : html`<ul>${v.expunges.map((x) => html`<li><time>${x.at}</time> expunge ${x.expungeNumber} by ${line(x.requestedBy)}: ${line(x.reason)}</li>`)}</ul>`}
<h2>Audit trail</h2>
${v.trailError !== null ? html`<p class="warn">Audit trail unreadable (${line(v.trailError)}); run <code>dh verify</code>.</p>` : ''}
${v.auditTrail.length === 0 ? html`<p>Not projected yet.</p>` : html`<table><thead><tr><th scope="col">At</th><th scope="col">Event</th><th scope="col">Detail</th></tr></thead><tbody>${v.auditTrail.map(auditRow)}</tbody></table>`}`,
  );
};
