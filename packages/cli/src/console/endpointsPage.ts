import type { EndpointHealth, HourHealth } from '@delivery-history/core';
import { html } from 'hono/html';
import type { endpointsDocument } from '../endpoints/endpoints.js';
import { type Html, line, page, query, seg } from './consoleHtml.js';

// `/endpoints`, `/endpoints/<endpoint>` and the overview `/`: endpoint health from the hourly
// aggregates (`endpointsDocument`, what `dh endpoints` prints), never a scan.

type Doc = ReturnType<typeof endpointsDocument>;

const rate = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const ms = (n: number | null): string => (n === null ? '—' : `≤${n} ms`);

const healthHead = html`<thead><tr><th scope="col">Endpoint</th><th scope="col">Deliveries</th><th scope="col">Failures</th><th scope="col">Success rate</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th><th scope="col">Consecutive failures</th><th scope="col">Last success</th></tr></thead>`;

const healthRow = (e: EndpointHealth, since: string): Html => html`<tr>
<td><a href="/endpoints/${seg(e.endpoint)}">${line(e.endpoint)}</a></td>
<td>${e.deliveries}</td><td>${e.failures > 0 ? html`<a href="/messages${query({ endpoint: e.endpoint, since })}">${e.failures}</a>` : '0'}</td>
<td>${rate(e.successRate)}</td><td>${ms(e.latency.p50)}</td><td>${ms(e.latency.p90)}</td><td>${ms(e.latency.p99)}</td>
<td>${e.consecutiveFailures}</td><td>${e.lastSuccess === null ? '—' : html`<time>${e.lastSuccess.at}</time>`}</td></tr>`;

const healthTable = (rows: ReadonlyArray<EndpointHealth>, since: string): Html =>
  rows.length === 0
    ? html`<p class="empty">No deliveries in this window.</p>`
    : html`<table>${healthHead}<tbody>${rows.map((r) => healthRow(r, since))}</tbody></table>`;

export const WINDOWS = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

const presets = (path: string, current: WindowName): Html =>
  html`<p class="presets">Window: ${(Object.keys(WINDOWS) as WindowName[]).map((w) =>
    w === current ? html`<strong>${w}</strong> ` : html`<a href="${path}${query({ window: w })}">${w}</a> `,
  )}</p>`;

export const endpointsPage = (doc: Doc, window: WindowName): Html =>
  page(
    'Endpoints',
    html`${presets('/endpoints', window)}
<p>Between <time>${doc.since}</time> and <time>${doc.until}</time>. The same in a terminal: <code>dh endpoints --since ${doc.since} --until ${doc.until}</code></p>
${healthTable(doc.endpoints, doc.since)}`,
  );

/** The overview: totals of the window, outcomes by category, the worst endpoints. */
export const overviewPage = (doc: Doc, window: WindowName): Html => {
  const rows = doc.endpoints;
  const sum = (f: (e: EndpointHealth) => number) => rows.reduce((n, e) => n + f(e), 0);
  const deliveries = sum((e) => e.deliveries);
  const successes = sum((e) => e.successes);
  const categories = new Map<string, number>();
  for (const e of rows)
    for (const [k, v] of Object.entries(e.categories)) categories.set(k, (categories.get(k) ?? 0) + (v ?? 0));
  const worst = [...rows]
    .filter((e) => e.failures > 0)
    .sort((a, b) => b.failures - a.failures || (a.successRate ?? 0) - (b.successRate ?? 0))
    .slice(0, 10);
  return page(
    'Overview',
    html`${presets('/', window)}
<dl class="facts totals">
<dt>Deliveries</dt><dd id="deliveries">${deliveries}</dd>
<dt>Successes</dt><dd>${successes}</dd>
<dt>Failures</dt><dd>${deliveries - successes}</dd>
<dt>Success rate</dt><dd>${rate(deliveries === 0 ? null : successes / deliveries)}</dd>
</dl>
<h2>Outcomes by category</h2>
${categories.size === 0 ? html`<p class="empty">No deliveries in this window.</p>` : html`<table><thead><tr><th scope="col">Category</th><th scope="col">Deliveries</th></tr></thead><tbody>${[...categories].map(([k, v]) => html`<tr><td>${line(k)}</td><td>${v}</td></tr>`)}</tbody></table>`}
<h2>Worst endpoints</h2>
${worst.length === 0 ? html`<p class="empty">No failures in this window.</p>` : healthTable(worst, doc.since)}
<p><a href="/messages${query({ since: doc.since })}">Failed messages of this window</a></p>`,
  );
};

const hourRow = (h: HourHealth): Html =>
  html`<tr><td><time>${h.hour}</time></td><td>${h.deliveries}</td><td>${h.failures}</td><td>${rate(h.successRate)}</td><td>${ms(h.latency.p50)}</td><td>${ms(h.latency.p90)}</td><td>${ms(h.latency.p99)}</td></tr>`;

const HOUR_MS = 3_600_000;

/**
 * The chart's data (`/endpoints/<endpoint>/series.json`): one point per hour of the window, an
 * hour without a bucket as zero, so the time axis is the window and a gap shows as a gap.
 */
export const seriesOf = (hours: ReadonlyArray<HourHealth>, since: string, until: string) => {
  const byHour = new Map(hours.map((h) => [h.hour, h]));
  const time: number[] = [];
  const deliveries: number[] = [];
  const failures: number[] = [];
  const end = Date.parse(until);
  for (let t = Math.floor(Date.parse(since) / HOUR_MS) * HOUR_MS; t < end; t += HOUR_MS) {
    const h = byHour.get(new Date(t).toISOString().slice(0, 13));
    time.push(t / 1000);
    deliveries.push(h?.deliveries ?? 0);
    failures.push(h?.failures ?? 0);
  }
  return { time, deliveries, failures };
};

export const endpointPage = (
  endpoint: string,
  row: (EndpointHealth & { readonly hours?: ReadonlyArray<HourHealth> }) | undefined,
  doc: Doc,
  window: WindowName,
): Html => {
  const path = `/endpoints/${seg(endpoint)}`;
  return page(
    `Endpoint ${line(endpoint)}`,
    html`${presets(path, window)}
<p>The same in a terminal: <code>dh endpoints ${line(endpoint)} --since ${doc.since} --until ${doc.until}</code></p>
${
  row === undefined
    ? html`<p class="empty">No deliveries to ${line(endpoint)} in this window.</p>`
    : html`${healthTable([row], doc.since)}
<h2>Deliveries per hour</h2>
<div id="chart" class="chart" data-series="${path}/series.json${query({ window })}" role="img" aria-label="deliveries and failures per hour"></div>
<table><caption>Hourly</caption><thead><tr><th scope="col">Hour (UTC)</th><th scope="col">Deliveries</th><th scope="col">Failures</th><th scope="col">Success rate</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th></tr></thead>
<tbody>${(row.hours ?? []).map(hourRow)}</tbody></table>`
}
<p><a href="/messages${query({ endpoint, since: doc.since })}">Failed messages to this endpoint</a></p>`,
    { scripts: ['/assets/uPlot.iife.min.js', '/assets/endpointChart.js'], styles: ['/assets/uPlot.min.css'] },
  );
};
