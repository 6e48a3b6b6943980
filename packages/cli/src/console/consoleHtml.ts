import { display } from '@delivery-history/core';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

// The console's one output rule for HTML (invariant 10): stored text goes through core's display
// rule (controls, bidi and invisible characters written as visible escapes), then hono's `html`
// template escapes every interpolated value (`<`, `>`, `&`, quotes). Nothing is ever inserted raw.

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One stored line (an id, a header, an error): display rule; `html` escapes it on interpolation. */
export const line = (s: string): string => display.line(s);

/** A stored block (a body or snippet): newlines and tabs kept, shown in a <pre>. */
export const block = (s: string): Html => html`<pre class="payload">${display.text(s)}</pre>`;

/** A path segment of one of the console's own links (never a stored URL: those are text). */
export const seg = (s: string): string => encodeURIComponent(s);

/** A query string from the parameters that are set. */
export const query = (params: Readonly<Record<string, string | undefined>>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

const NAV = [
  ['/', 'Overview'],
  ['/messages', 'Failed messages'],
  ['/endpoints', 'Endpoints'],
] as const;

/** The page around a body: stylesheet and scripts are files of the console (CSP: no inline code). */
export const page = (
  title: string,
  body: Html,
  extra: { readonly scripts?: ReadonlyArray<string>; readonly styles?: ReadonlyArray<string> } = {},
): Html =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · dh console</title>
<link rel="stylesheet" href="/assets/console.css">
${(extra.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}">`)}
${(extra.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<header><nav aria-label="main">${NAV.map(([href, label]) => html`<a href="${href}">${label}</a> `)}</nav></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
