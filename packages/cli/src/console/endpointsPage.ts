import type { EndpointHealth, HourHealth } from '@delivery-history/core';
import { html } from 'hono/html';
import type { endpointsDocument } from '../endpoints/endpoints.js';
import { type Html, line, page, query, seg } from './consoleHtml.js';
import { type PageWindow, windowPicker, windowQuery } from './consoleWindow.js';

// `/endpoints` and `/endpoints/<endpoint>`: endpoint health from the hourly
// aggregates (`endpointsDocument`, what `dh endpoints` prints), never a scan.

type Doc = ReturnType<typeof endpointsDocument>;

export const rate = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const ms = (n: number | null): string => (n === null ? '—' : `≤${n} ms`);

const healthHead = html`<thead><tr><th scope="col">Endpoint</th><th scope="col">Deliveries</th><th scope="col">Failures</th><th scope="col">Success rate</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th><th scope="col">Consecutive failures</th><th scope="col">Last success</th></tr></thead>`;

const healthRow = (e: EndpointHealth, since: string): Html => html`<tr>
<td><a href="/endpoints/${seg(e.endpoint)}">${line(e.endpoint)}</a></td>
<td>${e.deliveries}</td><td>${e.failures > 0 ? html`<a href="/messages${query({ endpoint: e.endpoint, since })}">${e.failures}</a>` : '0'}</td>
<td>${rate(e.successRate)}</td><td>${ms(e.latency.p50)}</td><td>${ms(e.latency.p90)}</td><td>${ms(e.latency.p99)}</td>
<td>${e.consecutiveFailures}</td><td>${e.lastSuccess === null ? '—' : html`<time>${e.lastSuccess.at}</time>`}</td></tr>`;

export const healthTable = (rows: ReadonlyArray<EndpointHealth>, since: string): Html =>
  rows.length === 0
    ? html`<p class="empty">No deliveries in this window.</p>`
    : html`<table>${healthHead}<tbody>${rows.map((r) => healthRow(r, since))}</tbody></table>`;

export const endpointsPage = (doc: Doc, w: PageWindow): Html =>
  page(
    'Endpoints',
    html`${windowPicker('/endpoints', w)}
<p>Between <time>${doc.since}</time> and <time>${doc.until}</time>. The same in a terminal: <code>dh endpoints --since ${doc.since} --until ${doc.until}</code></p>
${healthTable(doc.endpoints, doc.since)}`,
  );

const hourRow = (h: HourHealth): Html =>
  html`<tr><td><time>${h.hour}</time></td><td>${h.deliveries}</td><td>${h.failures}</td><td>${rate(h.successRate)}</td><td>${ms(h.latency.p50)}</td><td>${ms(h.latency.p90)}</td><td>${ms(h.latency.p99)}</td></tr>`;

const HOUR_MS = 3_600_000;

/**
 * The chart's data (`/endpoints/<endpoint>/series.json`): one point per hour of the window, an
 * hour without a bucket as zero, so the time axis is the window and a gap shows as a gap.
 */
export const seriesOf = (hours: ReadonlyArray<HourHealth>, since: string, until: string) => {
  const points = hourlyPoints(hours, Date.parse(since), Date.parse(until));
  return {
    time: points.map((p) => p.start / 1000),
    deliveries: points.map((p) => p.health?.deliveries ?? 0),
    failures: points.map((p) => p.health?.failures ?? 0),
  };
};

/**
 * Every hour the window [since, until) touches, with its health when it has a bucket (an hour
 * without one is a gap on the time axis, never left out). The overview's bars use it too.
 */
export const hourlyPoints = <H extends { readonly hour: string }>(
  hours: ReadonlyArray<H>,
  since: number,
  until: number,
) => {
  const byHour = new Map(hours.map((h) => [h.hour, h]));
  const out: { readonly start: number; readonly hour: string; readonly health: H | undefined }[] = [];
  for (let t = Math.floor(since / HOUR_MS) * HOUR_MS; t < until; t += HOUR_MS) {
    const hour = new Date(t).toISOString().slice(0, 13);
    out.push({ start: t, hour, health: byHour.get(hour) });
  }
  return out;
};

export const endpointPage = (
  endpoint: string,
  row: (EndpointHealth & { readonly hours?: ReadonlyArray<HourHealth> }) | undefined,
  doc: Doc,
  w: PageWindow,
): Html => {
  const path = `/endpoints/${seg(endpoint)}`;
  return page(
    `Endpoint ${line(endpoint)}`,
    html`${windowPicker(path, w)}
<p>The same in a terminal: <code>dh endpoints ${line(endpoint)} --since ${doc.since} --until ${doc.until}</code></p>
${
  row === undefined
    ? html`<p class="empty">No deliveries to ${line(endpoint)} in this window.</p>`
    : html`${healthTable([row], doc.since)}
<h2>Deliveries per hour</h2>
<div id="chart" class="chart" data-series="${path}/series.json${query(windowQuery(w))}" role="img" aria-label="deliveries and failures per hour"></div>
<table><caption>Hourly</caption><thead><tr><th scope="col">Hour (UTC)</th><th scope="col">Deliveries</th><th scope="col">Failures</th><th scope="col">Success rate</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th></tr></thead>
<tbody>${(row.hours ?? []).map(hourRow)}</tbody></table>`
}
<p><a href="/messages${query({ endpoint, since: doc.since })}">Failed messages to this endpoint</a></p>`,
    { scripts: ['/assets/uPlot.iife.min.js', '/assets/endpointChart.js'], styles: ['/assets/uPlot.min.css'] },
  );
};
