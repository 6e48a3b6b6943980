import type { EndpointHealth, HealthSummary, HourHealth } from '@delivery-history/core';
import type { StateSummary } from '@delivery-history/store';
import { html } from 'hono/html';
import type { endpointsDocument } from '../endpoints/endpoints.js';
import { type Html, line, page, query, seg } from './consoleHtml.js';
import { healthTable, hourlyPoints, rate } from './endpointsPage.js';
import { type PageWindow, windowPicker, windowQuery } from './consoleWindow.js';

// The overview `/`: deliveries over time stacked by outcome and the worst endpoints, from the
// hourly aggregates (never a scan); open issues, from the failed-messages index of the window.

type Doc = ReturnType<typeof endpointsDocument>;

export const OUTCOMES = ['success', 'retrying', 'final', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];
const LABEL: Record<Outcome, string> = {
  success: 'success',
  retrying: 'failed, retrying',
  final: 'failed, final',
  lost: 'lost',
};

/**
 * An hour's deliveries split into disjoint outcomes that sum to its deliveries: successes, lost
 * attempts (no result came back), failures that ended their message (the final-attempt
 * counters, lost ones excluded) and the other failures (a retry followed).
 */
export const outcomesOf = (h: HealthSummary): Record<Outcome, number> => {
  const lost = h.categories.lost ?? 0;
  const final = Math.max(0, h.messages - (h.messageCategories.success ?? 0) - (h.messageCategories.lost ?? 0));
  return {
    success: h.successes,
    lost,
    final,
    retrying: Math.max(0, h.deliveries - h.successes - lost - final),
  };
};

export type OutcomePoint = { readonly hour: string } & Record<Outcome, number>;

/** One point per hour of the window (an hour without a bucket is zero: a gap shows as a gap). */
export const outcomeSeries = (hours: ReadonlyArray<HourHealth>, since: Date, until: Date): OutcomePoint[] =>
  hourlyPoints(hours, since.getTime(), until.getTime()).map(({ hour, health }) => ({
    hour,
    ...(health === undefined ? { success: 0, retrying: 0, final: 0, lost: 0 } : outcomesOf(health)),
  }));

export type OpenIssue = {
  readonly endpoint: string;
  readonly category: string;
  /** The HTTP status, or `none` (no response). */
  readonly code: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
};

/** Failed messages grouped by endpoint x category x status code, the largest group first. */
export const openIssues = (rows: ReadonlyArray<StateSummary>): OpenIssue[] => {
  const groups = new Map<string, OpenIssue>();
  for (const r of rows) {
    const category = r.deliveryResult?.category ?? 'unknown';
    const code = String(r.deliveryResult?.statusCode ?? 'none');
    const key = JSON.stringify([r.endpoint, category, code]);
    const g = groups.get(key);
    groups.set(
      key,
      g === undefined
        ? { endpoint: r.endpoint, category, code, count: 1, firstSeen: r.lastUpdatedAt, lastSeen: r.lastUpdatedAt }
        : {
            ...g,
            count: g.count + 1,
            firstSeen: r.lastUpdatedAt < g.firstSeen ? r.lastUpdatedAt : g.firstSeen,
            lastSeen: r.lastUpdatedAt > g.lastSeen ? r.lastUpdatedAt : g.lastSeen,
          },
    );
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen));
};

const CHART_W = 720;
const CHART_H = 160;

/** Stacked bars drawn on the server (no script needed); each bar carries its numbers as data. */
const outcomeChart = (points: ReadonlyArray<OutcomePoint>): Html => {
  const max = Math.max(1, ...points.map((p) => OUTCOMES.reduce((n, o) => n + p[o], 0)));
  const w = CHART_W / Math.max(1, points.length);
  return html`<svg id="outcomes" class="outcomes" viewBox="0 0 ${CHART_W} ${CHART_H}" width="${CHART_W}" height="${CHART_H}" role="img" aria-labelledby="outcomes-title" data-points="${points.length}">
<title id="outcomes-title">Deliveries per hour by outcome</title>
${points.map((p, i) => {
  let y = CHART_H;
  return html`<g class="hour" data-hour="${p.hour}" ${OUTCOMES.map((o) => html`data-${o}="${p[o]}" `)}><title>${p.hour}:00 UTC: ${OUTCOMES.map((o) => `${LABEL[o]} ${p[o]}`).join(', ')}</title>${OUTCOMES.map(
    (o) => {
      const h = (p[o] / max) * CHART_H;
      y -= h;
      return p[o] === 0
        ? ''
        : html`<rect class="${o}" x="${(i * w + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, w - 2).toFixed(1)}" height="${h.toFixed(1)}"></rect>`;
    },
  )}</g>`;
})}
</svg>
<ul class="legend">${OUTCOMES.map((o) => html`<li><span class="swatch ${o}"></span>${LABEL[o]}</li>`)}</ul>`;
};

const issuesTable = (issues: ReadonlyArray<OpenIssue>, w: PageWindow): Html =>
  issues.length === 0
    ? html`<p class="empty">No failed messages in this window.</p>`
    : html`<table id="issues"><thead><tr><th scope="col">Endpoint</th><th scope="col">Category</th><th scope="col">Code</th><th scope="col">Messages</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
<tbody>${issues.map(
        (
          i,
        ) => html`<tr><td><a href="/endpoints/${seg(i.endpoint)}">${line(i.endpoint)}</a></td><td>${line(i.category)}</td><td>${line(i.code)}</td>
<td><a href="/messages${query({ endpoint: i.endpoint, category: i.category, code: i.code, since: w.since.toISOString(), until: w.until.toISOString() })}">${i.count}</a></td>
<td><time>${i.firstSeen}</time></td><td><time>${i.lastSeen}</time></td></tr>`,
      )}</tbody></table>`;

export type Overview = {
  readonly doc: Doc;
  readonly hours: ReadonlyArray<HourHealth>;
  readonly issues: ReadonlyArray<OpenIssue>;
  /** The failed messages read for the issues, and whether there were more than that. */
  readonly issueRows: number;
  readonly capped: boolean;
};

export const overviewPage = (o: Overview, w: PageWindow): Html => {
  const rows: ReadonlyArray<EndpointHealth> = o.doc.endpoints;
  const sum = (f: (e: EndpointHealth) => number) => rows.reduce((n, e) => n + f(e), 0);
  const deliveries = sum((e) => e.deliveries);
  const successes = sum((e) => e.successes);
  const worst = rows.filter((e) => e.failures > 0).slice(0, 10);
  const since = w.since.toISOString();
  return page(
    'Overview',
    html`${windowPicker('/', w)}
<dl class="facts totals">
<dt>Deliveries</dt><dd id="deliveries">${deliveries}</dd>
<dt>Successes</dt><dd>${successes}</dd>
<dt>Failures</dt><dd>${deliveries - successes}</dd>
<dt>Success rate</dt><dd id="success-rate">${rate(deliveries === 0 ? null : successes / deliveries)}</dd>
</dl>
<h2>Deliveries over time</h2>
${outcomeChart(outcomeSeries(o.hours, w.since, w.until))}
<h2>Open issues</h2>
<p>Failed messages of the window grouped by endpoint, category and status code${o.capped ? html` (the newest ${o.issueRows} only)` : ''}.</p>
${issuesTable(o.issues, w)}
<h2>Worst endpoints</h2>
${worst.length === 0 ? html`<p class="empty">No failures in this window.</p>` : healthTable(worst, since)}
<p><a href="/messages${query({ since, until: w.until.toISOString() })}">Failed messages of this window</a> · <a href="/endpoints${query(windowQuery(w))}">All endpoints</a></p>
<p>The same in a terminal: <code>dh endpoints --since ${since} --until ${w.until.toISOString()}</code></p>`,
  );
};
