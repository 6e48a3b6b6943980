import type { StateSummary } from '@delivery-history/store';
import { html } from 'hono/html';
import { type Html, line, page, query, seg } from './consoleHtml.js';

// `/messages?status=&endpoint=&since=&until=&cursor=`: the `dh failed` query (failedQuery in
// commands/failed.ts), newest first, one page of 50 with a link to the next.

export type MessagesFilter = {
  readonly status: 'failed' | 'exhausted' | 'held';
  readonly endpoint: string | undefined;
  readonly since: Date;
  readonly until: Date;
};

const filterForm = (f: MessagesFilter): Html => html`<form method="get" action="/messages" class="filters">
<label>Status <select name="status"><option value="failed"${f.status === 'failed' ? ' selected' : ''}>failed</option><option value="exhausted"${f.status === 'exhausted' ? ' selected' : ''}>exhausted (final)</option><option value="held"${f.status === 'held' ? ' selected' : ''}>held (endpoint breaker)</option></select></label>
<label>Endpoint <input name="endpoint" value="${f.endpoint ?? ''}" placeholder="host[:port]"></label>
<label>Since <input name="since" value="${f.since.toISOString()}"></label>
<label>Until <input name="until" value="${f.until.toISOString()}"></label>
<button type="submit">Show</button>
</form>`;

const command = (f: MessagesFilter): string =>
  [
    'dh failed',
    `--since ${f.since.toISOString()}`,
    `--until ${f.until.toISOString()}`,
    ...(f.status === 'exhausted' ? ['--exhausted'] : f.status === 'held' ? ['--held'] : []),
    ...(f.endpoint !== undefined ? [`--endpoint ${f.endpoint}`] : []),
    '--order newest',
  ].join(' ');

const row = (m: StateSummary): Html => html`<tr>
<td><a href="/messages/${seg(m.messageId)}">${line(m.messageId)}</a></td>
<td>${line(m.status)}</td><td>${m.attempts}/${m.maxAttempts}</td>
<td><a href="/endpoints/${seg(m.endpoint)}">${line(m.endpoint)}</a></td>
<td>${m.deliveryResult?.statusCode ?? '—'}</td>
<td>${line(m.deliveryResult?.errorDetails?.message ?? '')}</td>
<td><time>${m.lastUpdatedAt}</time></td></tr>`;

export const messagesPage = (f: MessagesFilter, rows: ReadonlyArray<StateSummary>, next: string | null): Html => {
  const base = {
    status: f.status,
    endpoint: f.endpoint,
    since: f.since.toISOString(),
    until: f.until.toISOString(),
  };
  return page(
    'Failed messages',
    html`${filterForm(f)}
<p>The same in a terminal: <code>${command(f)}</code></p>
${
  rows.length === 0
    ? html`<p class="empty">No ${f.status} messages between ${base.since} and ${base.until}${f.endpoint === undefined ? '' : ` for ${line(f.endpoint)}`}.</p>`
    : html`<table><thead><tr><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Endpoint</th><th scope="col">Code</th><th scope="col">Error</th><th scope="col">Last update</th></tr></thead>
<tbody>${rows.map(row)}</tbody></table>`
}
${next === null ? '' : html`<p><a rel="next" href="/messages${query({ ...base, cursor: next })}">Next page</a></p>`}`,
  );
};

/** A page that could not be answered: the reason, one line, through the output rule. */
export const problemPage = (title: string, reason: string): Html =>
  page(title, html`<p class="problem">${line(reason)}</p>`);
