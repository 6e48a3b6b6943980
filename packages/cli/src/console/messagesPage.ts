import { OutcomeCategory } from '@delivery-history/core';
import type { StateSummary } from '@delivery-history/store';
import { html } from 'hono/html';
import { type Html, line, page, query, seg } from './consoleHtml.js';
import {
  filterParams,
  liveParams,
  type MessagesFilter,
  messagesCommand,
  STATUSES,
  type StatusFilter,
} from './messagesFilter.js';

// `/messages?...`: the filterable list (see messagesFilter.ts), newest first, one page of 50 with
// a link to the next; a live toggle (assets/console/liveMessages.js) adds new attempts on top.

/** The link to re-drive every message of the filter (its dry run first). */
const redriveLinks = (f: MessagesFilter): Html =>
  html`<p class="actions"><a href="/redrive${query(filterParams(f))}" id="redrive-filter">Re-drive the messages of this filter…</a></p>`;

const selected = (on: boolean) => (on ? html` selected` : '');

const filterForm = (f: MessagesFilter): Html => html`<form method="get" action="/messages" class="filters">
<label>Status <select name="status">${(Object.keys(STATUSES) as StatusFilter[]).map(
  (s) => html`<option value="${s}"${selected(f.status === s)}>${STATUSES[s].label}</option>`,
)}</select></label>
<label>Endpoint <input name="endpoint" value="${f.endpoint ?? ''}" placeholder="host[:port]"></label>
<label>Category <select name="category"><option value="">any</option>${Object.keys(OutcomeCategory.keys).map(
  (c) => html`<option value="${c}"${selected(f.category === c)}>${c}</option>`,
)}</select></label>
<label>Code <input name="code" value="${f.code ?? ''}" placeholder="500 or none" size="6"></label>
<label>Correlation <input name="correlation" value="${f.correlation ?? ''}"></label>
<label>Since <input name="since" value="${f.since.toISOString()}"></label>
<label>Until <input name="until" value="${f.until.toISOString()}"></label>
<button type="submit">Show</button>
</form>`;

const row = (m: StateSummary, actions: boolean): Html => html`<tr>
${actions ? html`<td><input type="checkbox" name="message" value="${m.messageId}" aria-label="select ${line(m.messageId)}"></td>` : ''}<td><a href="/messages/${seg(m.messageId)}">${line(m.messageId)}</a></td>
<td>${line(m.status)}</td><td>${m.attempts}/${m.maxAttempts}</td>
<td><a href="/endpoints/${seg(m.endpoint)}">${line(m.endpoint)}</a></td>
<td>${line(m.deliveryResult?.category ?? '')}</td>
<td>${m.deliveryResult?.statusCode ?? '—'}</td>
<td>${line(m.deliveryResult?.errorDetails?.message ?? '')}</td>
<td><time>${m.lastUpdatedAt}</time></td></tr>`;

const head = (actions: boolean) =>
  html`<thead><tr>${actions ? html`<th scope="col"><span class="sr">Select</span></th>` : ''}<th scope="col">Message</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Endpoint</th><th scope="col">Category</th><th scope="col">Code</th><th scope="col">Error</th><th scope="col">Last update</th></tr></thead>`;

export const messagesPage = (
  f: MessagesFilter,
  rows: ReadonlyArray<StateSummary>,
  next: string | null,
  actions: boolean,
): Html => {
  const params = filterParams(f);
  return page(
    'Messages',
    html`${filterForm(f)}
<p>The same in a terminal: <code>${line(messagesCommand(f))}</code></p>
<section id="live" class="live" data-live="/messages/live.json${query(liveParams(f))}" hidden>
<label><input type="checkbox" id="live-toggle"> Follow new attempts that match this filter (as <code>dh tail</code> does)</label>
<p id="live-state" class="muted" aria-live="polite"></p>
<table id="live-attempts"><caption>New attempts</caption><thead><tr><th scope="col">Completed</th><th scope="col">Message</th><th scope="col">#</th><th scope="col">Status</th><th scope="col">Category</th><th scope="col">Code</th><th scope="col">Endpoint</th></tr></thead><tbody></tbody></table>
</section>
${
  rows.length === 0
    ? html`<p class="empty">No messages match between ${params.since ?? 'any time'} and ${params.until ?? 'now'}.</p>`
    : actions
      ? html`${redriveLinks(f)}<form method="get" action="/redrive"><table id="messages">${head(true)}<tbody>${rows.map((r) => row(r, true))}</tbody></table>
<button type="submit" id="redrive-selected">Re-drive selected…</button></form>`
      : html`<table id="messages">${head(false)}<tbody>${rows.map((r) => row(r, false))}</tbody></table>`
}
${next === null ? '' : html`<p><a rel="next" href="/messages${query({ ...params, cursor: next })}">Next page</a></p>`}`,
    { scripts: ['/assets/liveMessages.js'] },
  );
};

/** A page that could not be answered: the reason, one line, through the output rule. */
export const problemPage = (title: string, reason: string): Html =>
  page(title, html`<p class="problem">${line(reason)}</p>`);
