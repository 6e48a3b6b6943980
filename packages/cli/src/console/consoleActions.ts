import * as E from 'fp-ts/lib/Either.js';
import type { Context as HonoContext, Hono } from 'hono';
import { html } from 'hono/html';
import { IntArg, MessageIdArg, NonEmptyArg } from '../kit/args/codecs.js';
import type { Store } from '@delivery-history/store';
import { type Html, line, page, seg } from './consoleHtml.js';
import { consoleParam } from './consoleParams.js';
import { CSRF_FIELD } from './consoleSecurity.js';
import { filterParams, type MessagesFilter, messagesCommand, messagesFilter, messagesQuery } from './messagesFilter.js';
import { problemPage } from './messagesPage.js';
import type { Job, RedriveJobs, Select } from './redriveJobs.js';

// The console's re-drive (absent with --read-only): `/redrive?<filter>` or `?message=ID...` runs
// the dry run and asks for a reason; `POST /redrive` starts a job (CSRF token and Origin checked
// by the guard first); `/jobs/<id>` shows its progress and a cancel button.

const MAX_SELECTED = 500;

type Selection =
  | { readonly _tag: 'filter'; readonly filter: MessagesFilter }
  | { readonly _tag: 'messages'; readonly ids: ReadonlyArray<string> };

/** The selection a query or form asks for: message ids when given, else the /messages filter. */
const selectionOf = (fields: Readonly<Record<string, string>>, ids: ReadonlyArray<string>, now: Date, zone: string) => {
  if (ids.length > 0) {
    if (ids.length > MAX_SELECTED) return E.left(`message: at most ${MAX_SELECTED} selected messages`);
    for (const id of ids) {
      const ok = consoleParam('message', MessageIdArg, id);
      if (E.isLeft(ok)) return ok;
    }
    return E.right<string, Selection>({ _tag: 'messages', ids });
  }
  return E.map((filter: MessagesFilter): Selection => ({ _tag: 'filter', filter }))(messagesFilter(fields, now, zone));
};

const describe = (s: Selection): string =>
  s._tag === 'messages' ? `${s.ids.length} selected messages` : `the messages of: ${messagesCommand(s.filter)}`;

/** The ids a selection pages through: the list query's kept rows, or the given ids. */
const selectOf = (store: Store, s: Selection): Select => {
  if (s._tag === 'messages')
    return async (limit, cursor) => {
      const from = cursor === null ? 0 : Number(cursor);
      const ids = s.ids.slice(from, from + limit);
      return E.right({ ids: [...ids], cursor: from + limit < s.ids.length ? String(from + limit) : null });
    };
  const { fetch, keep } = messagesQuery(store, s.filter);
  return async (limit, cursor) => {
    const page = await fetch(limit, cursor)();
    return E.isLeft(page)
      ? E.left(page.left.message)
      : E.right({ ids: page.right.items.filter(keep).map((r) => r.messageId), cursor: page.right.cursor });
  };
};

const hiddenSelection = (s: Selection): Html =>
  s._tag === 'messages'
    ? html`${s.ids.map((id) => html`<input type="hidden" name="message" value="${id}">`)}`
    : html`${Object.entries(filterParams(s.filter)).map(([k, v]) =>
        v === undefined ? '' : html`<input type="hidden" name="${k}" value="${v}">`,
      )}`;

const csrfField = (token: string): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

const confirmPage = (s: Selection, count: { wouldRedrive: number; considered: number }, csrf: string): Html =>
  page(
    'Re-drive',
    html`<p>Selection: ${line(describe(s))}</p>
<p id="dry-run">Dry run: <strong id="would-redrive">${count.wouldRedrive}</strong> of ${count.considered} messages considered would be re-driven (the others are not final yet, or not re-drivable).</p>
${
  count.wouldRedrive === 0
    ? html`<p class="empty">Nothing to re-drive.</p>`
    : html`<form method="post" action="/redrive" class="action">
${csrfField(csrf)}${hiddenSelection(s)}<input type="hidden" name="expected" value="${count.wouldRedrive}">
<label>Reason (recorded in each message's audit trail) <textarea name="reason" required rows="2" cols="60"></textarea></label>
<button type="submit">Re-drive ${count.wouldRedrive} messages</button>
</form>`
}`,
  );

const jobRow = (j: Job): Html =>
  html`<tr><td><a href="/jobs/${seg(j.id)}">${j.id}</a></td><td>${j.state}</td><td>${j.done} / ${j.expected}</td><td>${line(j.by)}</td><td>${line(j.reason)}</td><td><time>${j.startedAt}</time></td></tr>`;

const jobPage = (j: Job, csrf: string): Html =>
  page(
    `Re-drive job ${j.id}`,
    html`<dl class="facts">
<dt>State</dt><dd id="job-state">${j.state}${j.cancelRequested && j.state === 'running' ? ' (cancelling)' : ''}</dd>
<dt>Progress</dt><dd><progress id="job-progress" max="${Math.max(1, j.expected)}" value="${Math.min(j.done, Math.max(1, j.expected))}">${j.done} of ${j.expected}</progress> <span id="job-done">${j.done}</span> of ${j.expected} considered, <span id="job-reopened">${j.reopened}</span> reopened</dd>
<dt>By</dt><dd>${line(j.by)}</dd>
<dt>Reason</dt><dd>${line(j.reason)}</dd>
<dt>Selection</dt><dd>${line(j.selection)}</dd>
<dt>Started</dt><dd><time>${j.startedAt}</time></dd>
<dt>Finished</dt><dd id="job-finished">${j.finishedAt === null ? '—' : html`<time>${j.finishedAt}</time>`}</dd>
<dt>Result</dt><dd id="job-summary">${line(j.summary ?? '—')}</dd>
</dl>
${
  j.state === 'running' && !j.cancelRequested
    ? html`<form method="post" action="/jobs/${seg(j.id)}/cancel">${csrfField(csrf)}<button type="submit" id="job-cancel">Cancel</button></form>`
    : ''
}
<p><a href="/jobs/${seg(j.id)}" id="job-status" data-status="/jobs/${seg(j.id)}/status.json">Refresh</a> · <a href="/jobs">All jobs</a></p>`,
    { scripts: ['/assets/jobProgress.js'] },
  );

const formOf = async (c: HonoContext) => {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  let ids: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    if (k === 'message') ids = values;
    else if (values[0] !== undefined) fields[k] = values[0];
  }
  return { fields, ids };
};

export const actionRoutes = (
  app: Hono,
  d: {
    readonly store: Store;
    readonly jobs: RedriveJobs;
    readonly csrfOf: (c: HonoContext) => string;
    readonly now: () => Date;
    readonly zone: string;
  },
): void => {
  app.get('/redrive', async (c) => {
    const s = selectionOf(c.req.query(), c.req.queries('message') ?? [], d.now(), d.zone);
    if (E.isLeft(s)) return c.html(problemPage('Bad request', s.left), 400);
    const count = await d.jobs.count(selectOf(d.store, s.right));
    if (E.isLeft(count)) return c.html(problemPage('Re-drive dry run failed', count.left), 503);
    return c.html(confirmPage(s.right, count.right, d.csrfOf(c)));
  });

  app.post('/redrive', async (c) => {
    const { fields, ids } = await formOf(c);
    const reason = consoleParam('reason', NonEmptyArg, fields.reason);
    if (E.isLeft(reason) || reason.right === undefined)
      return c.html(problemPage('Bad request', 'reason: required (it is recorded with the re-drive)'), 400);
    const expected = consoleParam('expected', IntArg(0, 1_000_000), fields.expected);
    if (E.isLeft(expected)) return c.html(problemPage('Bad request', expected.left), 400);
    const s = selectionOf(fields, ids, d.now(), d.zone);
    if (E.isLeft(s)) return c.html(problemPage('Bad request', s.left), 400);
    const job = d.jobs.start(selectOf(d.store, s.right), {
      reason: reason.right,
      selection: describe(s.right),
      expected: expected.right ?? 0,
    });
    return c.redirect(`/jobs/${seg(job.id)}`, 303);
  });

  app.get('/jobs', (c) =>
    c.html(
      page(
        'Re-drive jobs',
        d.jobs.list().length === 0
          ? html`<p class="empty">No job since this console started.</p>`
          : html`<table><thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">By</th><th scope="col">Reason</th><th scope="col">Started</th></tr></thead><tbody>${d.jobs.list().map(jobRow)}</tbody></table>`,
      ),
    ),
  );

  app.get('/jobs/:id', (c) => {
    const job = d.jobs.get(c.req.param('id'));
    return job === undefined ? c.notFound() : c.html(jobPage(job, d.csrfOf(c)));
  });

  app.get('/jobs/:id/status.json', (c) => {
    const j = d.jobs.get(c.req.param('id'));
    if (j === undefined) return c.json({ error: 'no such job' }, 404);
    return c.json({
      state: j.state,
      cancelRequested: j.cancelRequested,
      done: j.done,
      reopened: j.reopened,
      expected: j.expected,
      finishedAt: j.finishedAt,
      summary: j.summary === null ? null : line(j.summary),
    });
  });

  app.post('/jobs/:id/cancel', (c) => {
    const job = d.jobs.cancel(c.req.param('id'));
    return job === undefined ? c.notFound() : c.redirect(`/jobs/${seg(job.id)}`, 303);
  });
};
