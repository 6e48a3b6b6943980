import * as E from 'fp-ts/lib/Either.js';
import { html } from 'hono/html';
import { TimeArg } from '../kit/args/codecs.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { consoleParam } from './consoleParams.js';
import { type Html, query } from './consoleHtml.js';

// The window of a health page (`/`, `/endpoints`, `/endpoints/<endpoint>`): a preset
// (`?window=24h`) or a custom range (`?since=&until=`, the CLI's time input: ISO or `-2h`),
// checked by the CLI's one window rule. A deep link keeps whichever it was given.

export const WINDOWS = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

export type PageWindow = { readonly name: WindowName | 'custom'; readonly since: Date; readonly until: Date };

/** The window a page's query asks for, or one line saying which parameter is wrong. */
export const pageWindow = (
  q: Readonly<Record<string, string>>,
  fallback: WindowName,
  now: Date,
  zone: string,
): E.Either<string, PageWindow> => {
  const since = consoleParam('since', TimeArg(now, zone), q.since);
  if (E.isLeft(since)) return since;
  const until = consoleParam('until', TimeArg(now, zone), q.until);
  if (E.isLeft(until)) return until;
  if (since.right !== undefined || until.right !== undefined) {
    const end = until.right ?? now;
    const w = {
      name: 'custom' as const,
      since: since.right ?? new Date(end.getTime() - WINDOWS[fallback]),
      until: end,
    };
    const wrong = timeWindowError(w, now, { names: { since: 'since', until: 'until' } });
    return wrong === null ? E.right(w) : E.left(wrong);
  }
  const name = q.window === undefined || q.window === '' ? fallback : q.window;
  if (!Object.hasOwn(WINDOWS, name)) return E.left(`window: expected one of ${Object.keys(WINDOWS).join(', ')}`);
  const n = name as WindowName;
  return E.right({ name: n, since: new Date(now.getTime() - WINDOWS[n]), until: now });
};

/** The query that links to the same window (a preset stays relative, a custom range absolute). */
export const windowQuery = (w: PageWindow): Record<string, string> =>
  w.name === 'custom' ? { since: w.since.toISOString(), until: w.until.toISOString() } : { window: w.name };

/** Preset links and a custom-range form (plain GET: works without script). */
export const windowPicker = (path: string, w: PageWindow): Html =>
  html`<div class="presets"><p>Window: ${(Object.keys(WINDOWS) as WindowName[]).map((p) =>
    p === w.name
      ? html`<strong aria-current="true">${p}</strong> `
      : html`<a href="${path}${query({ window: p })}">${p}</a> `,
  )}</p>
<form method="get" action="${path}" class="range">
<label>Since <input name="since" value="${w.since.toISOString()}"></label>
<label>Until <input name="until" value="${w.until.toISOString()}"></label>
<button type="submit">Show range</button>
</form></div>`;
