import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// URL path shapes whose segments are credentials (provider webhook URLs): the stable
// prefix is kept, secret segments become [REDACTED]. Built-in rules plus
// DELIVERY_REDACT_PATHS templates, written in the same template language:
//   [host]/literal/*/{secret}/**     host: exact or `*.suffix` (optional; none = any host)
//   literal   matches that segment (case-insensitive), kept
//   *         matches any one segment, kept
//   {secret}  matches any one segment, redacted; `bot{secret}` keeps the literal prefix
//   **        (last) the rest of the path, redacted as one segment
// ---------------------------------------------------------------------------

export type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'secret'; readonly prefix: string; readonly shape: RegExp | null }
  | { readonly kind: 'rest' };

export interface PathRule {
  readonly template: string;
  /** Lower-case host, `*.suffix`, or null for any host. */
  readonly host: string | null;
  readonly segments: ReadonlyArray<Segment>;
}

const SECRET_SEGMENT = /^([^{}*]*)\{secret\}$/;

const parseSegment = (s: string, last: boolean): E.Either<string, Segment> => {
  if (s === '**') return last ? E.right({ kind: 'rest' }) : E.left('** must be the last segment');
  if (s === '*') return E.right({ kind: 'any' });
  const secret = SECRET_SEGMENT.exec(s);
  if (secret !== null) return E.right({ kind: 'secret', prefix: (secret[1] ?? '').toLowerCase(), shape: null });
  if (/[{}*]/.test(s)) return E.left(`bad segment ${JSON.stringify(s.slice(0, 40))}`);
  return E.right({ kind: 'literal', value: s.toLowerCase() });
};

/** A template (see the banner) as a rule; Left says what is wrong with it. */
export const parsePathTemplate = (template: string): E.Either<string, PathRule> => {
  const t = template.trim().replace(/^https?:\/\//i, '');
  const slash = t.indexOf('/');
  if (slash < 0) return E.left(`path template ${JSON.stringify(t.slice(0, 60))} has no path`);
  const host = slash === 0 ? null : t.slice(0, slash).toLowerCase();
  const parts = t.slice(slash + 1).split('/');
  if (parts.at(-1) === '') parts.pop();
  const segments: Segment[] = [];
  for (const [i, p] of parts.entries()) {
    const seg = parseSegment(p, i === parts.length - 1);
    if (E.isLeft(seg)) return E.left(`path template ${JSON.stringify(t.slice(0, 60))}: ${seg.left}`);
    segments.push(seg.right);
  }
  if (!segments.some((s) => s.kind === 'secret' || s.kind === 'rest')) {
    return E.left(`path template ${JSON.stringify(t.slice(0, 60))} marks no {secret} or **`);
  }
  return E.right({ template: t, host, segments });
};

const rule = (template: string, shapes: Readonly<Record<number, RegExp>> = {}): PathRule => {
  const parsed = parsePathTemplate(template);
  if (E.isLeft(parsed)) throw new Error(parsed.left);
  const segments = parsed.right.segments.map((s, i) =>
    s.kind === 'secret' && shapes[i] !== undefined ? { ...s, shape: shapes[i] } : s,
  );
  return { ...parsed.right, segments };
};

/** Webhook URLs of common providers: the secret is in the path. */
export const PROVIDER_PATH_RULES: ReadonlyArray<PathRule> = [
  rule('hooks.slack.com/services/*/*/{secret}'),
  rule('hooks.slack.com/workflows/*/*/*/{secret}'),
  rule('hooks.slack.com/triggers/*/*/{secret}'),
  rule('*.discord.com/api/webhooks/*/{secret}'),
  rule('*.discord.com/api/*/webhooks/*/{secret}'),
  rule('*.discordapp.com/api/webhooks/*/{secret}'),
  rule('*.webhook.office.com/webhookb2/**'),
  rule('outlook.office.com/webhook/**'),
  rule('outlook.office365.com/webhook/**'),
  rule('hooks.zapier.com/hooks/catch/*/**'),
  rule('maker.ifttt.com/trigger/*/with/key/{secret}'),
  rule('maker.ifttt.com/trigger/*/json/with/key/{secret}'),
  rule('maker.ifttt.com/use/{secret}'),
  rule('api.telegram.org/bot{secret}'),
  rule('webexapis.com/v1/webhooks/incoming/{secret}'),
  rule('open.feishu.cn/open-apis/bot/v2/hook/{secret}'),
  rule('open.larksuite.com/open-apis/bot/v2/hook/{secret}'),
  rule('script.google.com/macros/s/{secret}'),
  rule('hook.integromat.com/{secret}'),
  rule('*.make.com/{secret}', { 0: /^[a-z0-9]{20,}$/i }),
  // Mattermost (/hooks/<26 chars>) and Rocket.Chat (/hooks/<id>/<token>) run on any host.
  rule('/hooks/{secret}/**', { 1: /^[A-Za-z0-9_-]{17,}$/ }),
];

// ---------------------------------------------------------------------------
// matching
// ---------------------------------------------------------------------------

const hostMatches = (pattern: string | null, host: string): boolean => {
  if (pattern === null) return true;
  if (pattern.startsWith('*.')) return host === pattern.slice(2) || host.endsWith(pattern.slice(1));
  return host === pattern;
};

const decoded = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export interface PathRedaction {
  readonly segments: ReadonlyArray<string>;
  /** The raw segment values that were replaced (for the exact-value scrub). */
  readonly secrets: ReadonlyArray<string>;
}

const matchSegment = (seg: Segment, raw: string): 'keep' | 'secret' | null => {
  const value = decoded(raw).toLowerCase();
  switch (seg.kind) {
    case 'literal':
      return value === seg.value ? 'keep' : null;
    case 'any':
      return raw === '' ? null : 'keep';
    case 'secret': {
      if (!value.startsWith(seg.prefix) || value.length === seg.prefix.length) return null;
      return seg.shape === null || seg.shape.test(decoded(raw).slice(seg.prefix.length)) ? 'secret' : null;
    }
    default:
      return 'secret';
  }
};

/** Applies one rule to path segments (without the leading ''); null when it does not match. */
const applyRule = (r: PathRule, segments: ReadonlyArray<string>): PathRedaction | null => {
  const out = [...segments];
  const secrets: string[] = [];
  for (const [i, seg] of r.segments.entries()) {
    if (seg.kind === 'rest') {
      const rest = segments.slice(i).filter((s) => s !== '' && s !== '[REDACTED]');
      if (rest.length === 0) break;
      secrets.push(...rest);
      out.splice(i, out.length - i, '[REDACTED]');
      return { segments: out, secrets };
    }
    const raw = segments[i];
    if (raw === undefined) return null;
    const m = matchSegment(seg, raw);
    if (m === null) return null;
    if (m === 'secret' && seg.kind === 'secret' && raw.slice(seg.prefix.length) !== '[REDACTED]') {
      secrets.push(raw.slice(seg.prefix.length));
      out[i] = `${raw.slice(0, seg.prefix.length)}[REDACTED]`;
    }
  }
  return secrets.length === 0 ? null : { segments: out, secrets };
};

/** The first rule (in order) that matches `host` and the path's segments redacts them. */
export const redactPathSegments = (
  rules: ReadonlyArray<PathRule>,
  host: string,
  segments: ReadonlyArray<string>,
): PathRedaction => {
  const h = host.toLowerCase();
  for (const r of rules) {
    if (!hostMatches(r.host, h)) continue;
    const applied = applyRule(r, segments);
    if (applied !== null) return applied;
  }
  return { segments, secrets: [] };
};
