import type { ExpungeScope } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { Context as HonoContext, Hono } from 'hono';
import { html } from 'hono/html';
import { type ExpungeOutcome, expungeOutcome } from '../expunge/expungeOutcome.js';
import { MessageIdArg, NonEmptyArg } from '../kit/args/codecs.js';
import { type Html, line, page, query, seg } from './consoleHtml.js';
import { consoleParam } from './consoleParams.js';
import { CSRF_FIELD } from './consoleSecurity.js';
import { problemPage } from './messagesPage.js';

// The console's expunge (absent with --read-only), one message at a time: `/expunge?message=ID`
// runs `dh expunge --dry-run`'s step and asks for a reason and the message id typed again;
// `POST /expunge` (Origin, session and CSRF token checked by the guard first) runs the same step
// for real, recorded on the EXPUNGE event as the console's operator with the reason given.

/** The console's door to `dh expunge`'s per-message run: who is fixed when the console starts. */
export type ConsoleExpunge = {
  readonly by: string;
  run(messageId: string, scope: ExpungeScope, reason: string, dryRun: boolean): Promise<ExpungeOutcome>;
};

export const consoleExpunge = (store: Store, by: string): ConsoleExpunge => ({
  by,
  run: (messageId, scope, reason, dryRun) =>
    expungeOutcome(store, { messageId, scope, requestedBy: by, reason, dryRun }),
});

const SCOPES: Readonly<Record<ExpungeScope, string>> = {
  content: 'all content (request and response headers, bodies, snippets, reason phrases)',
  secrets: 'secrets only (the current secret policy re-applied; like dh expunge --secrets-only)',
};

const scopeOf = (v: string | undefined): E.Either<string, ExpungeScope> =>
  v === undefined || v === '' || v === 'content'
    ? E.right('content')
    : v === 'secrets'
      ? E.right('secrets')
      : E.left('scope: content or secrets');

/** The message and scope a query or form names. */
const targetOf = (
  message: string | undefined,
  scope: string | undefined,
): E.Either<string, { readonly id: string; readonly scope: ExpungeScope }> => {
  const id = consoleParam('message', MessageIdArg, message);
  if (E.isLeft(id)) return id;
  if (id.right === undefined) return E.left('message: required');
  const s = scopeOf(scope);
  return E.isLeft(s) ? s : E.right({ id: id.right, scope: s.right });
};

/** What the dry run found, in words; null when there is something to expunge. */
const nothingToDo = (o: ExpungeOutcome): string | null => {
  if (!('result' in o)) return `${o.outcome}: ${o.error}`;
  return o.outcome === 'unchanged' ? 'Nothing left to remove (already expunged for this scope).' : null;
};

const command = (id: string, scope: ExpungeScope): string =>
  `dh expunge --message ${id}${scope === 'secrets' ? ' --secrets-only' : ''} --reason TEXT`;

const confirmPage = (id: string, scope: ExpungeScope, dry: ExpungeOutcome, csrf: string): Html => {
  const problem = nothingToDo(dry);
  const other: ExpungeScope = scope === 'content' ? 'secrets' : 'content';
  return page(
    'Expunge',
    html`<p>Message: <a href="/messages/${seg(id)}">${line(id)}</a></p>
<p>Scope: ${SCOPES[scope]} (<a href="/expunge${query({ message: id, scope: other })}">${other} instead</a>)</p>
<p>The same in a terminal: <code>${line(command(id, scope))}</code></p>
${
  problem !== null
    ? html`<p class="problem" id="expunge-dry-run">${line(problem)}</p>`
    : html`<p id="expunge-dry-run">Dry run: <strong id="would-expunge">${'result' in dry ? dry.result.items.length : 0}</strong> items would change: ${line('result' in dry ? dry.result.items.join(', ') : '')}. This cannot be undone; the outcome metadata stays, and an EXPUNGE event records who and why.</p>
<form method="post" action="/expunge" class="action">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><input type="hidden" name="message" value="${id}"><input type="hidden" name="scope" value="${scope}">
<label>Reason (recorded on the EXPUNGE event) <textarea name="reason" required rows="2" cols="60"></textarea></label>
<label>Type the message id to confirm <input name="confirm" required autocomplete="off"></label>
<button type="submit" id="expunge-confirm">Expunge</button>
</form>`
}`,
  );
};

/** The status a refused or failed expunge answers with. */
const statusOf = (o: ExpungeOutcome): 404 | 409 | 503 =>
  o.outcome === 'not-found' ? 404 : o.outcome === 'refused' ? 409 : 503;

const fieldsOf = async (c: HonoContext): Promise<Readonly<Record<string, string>>> => {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
  return fields;
};

export const expungeRoutes = (
  app: Hono,
  d: { readonly expunge: ConsoleExpunge; readonly csrfOf: (c: HonoContext) => string },
): void => {
  app.get('/expunge', async (c) => {
    const t = targetOf(c.req.query('message'), c.req.query('scope'));
    if (E.isLeft(t)) return c.html(problemPage('Bad request', t.left), 400);
    const { id, scope } = t.right;
    const dry = await d.expunge.run(id, scope, 'dry run', true);
    return c.html(confirmPage(id, scope, dry, d.csrfOf(c)), dry.outcome === 'failed' ? 503 : 200);
  });

  app.post('/expunge', async (c) => {
    const f = await fieldsOf(c);
    const t = targetOf(f.message, f.scope);
    if (E.isLeft(t)) return c.html(problemPage('Bad request', t.left), 400);
    const { id, scope } = t.right;
    const reason = consoleParam('reason', NonEmptyArg, f.reason);
    if (E.isLeft(reason) || reason.right === undefined)
      return c.html(problemPage('Bad request', 'reason: required (it is recorded with the expunge)'), 400);
    // the confirmation: the id typed again, so a stray click or a replayed form expunges nothing
    if (f.confirm?.trim() !== id)
      return c.html(problemPage('Not confirmed', 'confirm: type the message id to expunge it'), 400);
    const done = await d.expunge.run(id, scope, reason.right, false);
    if (!('result' in done))
      return c.html(problemPage('Expunge refused', `${done.outcome}: ${done.error}`), statusOf(done));
    return c.redirect(`/messages/${seg(id)}`, 303);
  });
};
