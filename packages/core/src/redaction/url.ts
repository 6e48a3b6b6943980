import { REDACTED } from './names.js';
import { redactPathSegments } from './paths.js';
import { isSecretParam, type SecretPolicy } from './policy.js';

// ---------------------------------------------------------------------------
// URLs: user-info removed, the fragment dropped, provider path secrets, matrix
// parameters (`;name=value` in a segment) and query parameters (`&` or `;` separated,
// names percent-decoded) redacted by the policy; everything else kept verbatim.
// ---------------------------------------------------------------------------

export type UrlFindingKind =
  | 'URL user-info'
  | 'unredacted sensitive query parameter'
  | 'URL path secret'
  | 'matrix parameter';

export interface UrlFinding {
  /** `?name`, `;name`, or '' (user-info, path). */
  readonly where: string;
  readonly kind: UrlFindingKind;
}

export interface UrlAnalysis {
  /** The URL as it may be stored. */
  readonly redacted: string;
  /** The raw secret values found (for the exact-value scrub of echoes). */
  readonly secrets: ReadonlyArray<string>;
  readonly findings: ReadonlyArray<UrlFinding>;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

const isRedacted = (v: string): boolean => v === REDACTED || safeDecode(v) === REDACTED;

type Acc = { secrets: string[]; findings: UrlFinding[] };

/** `name=value` pairs separated by `&` or `;` (separators kept); sensitive values replaced. */
const redactPairs = (policy: SecretPolicy, text: string, acc: Acc, kind: 'query' | 'matrix'): string =>
  text
    .split(/([&;])/)
    .map((pair, i) => {
      if (i % 2 === 1) return pair; // a separator
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      if (value === '' || isRedacted(value) || !isSecretParam(policy, name, safeDecode(value))) return pair;
      acc.secrets.push(value);
      acc.findings.push(
        kind === 'query'
          ? { where: `?${name}`, kind: 'unredacted sensitive query parameter' }
          : { where: `;${name}`, kind: 'matrix parameter' },
      );
      return `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('');

/** `;name=value;...` after a segment (leading `;` included), sensitive values replaced. */
const redactMatrix = (policy: SecretPolicy, params: string, acc: Acc): string =>
  params === '' ? '' : `;${redactPairs(policy, params.slice(1), acc, 'matrix')}`;

/** Provider path rules see each segment without its matrix parameters (`;name=value`). */
const redactPath = (policy: SecretPolicy, host: string, pathname: string, acc: Acc): string => {
  const segments = pathname.split('/').slice(1);
  const semi = (s: string): number => (s.includes(';') ? s.indexOf(';') : s.length);
  const bases = segments.map((s) => s.slice(0, semi(s)));
  const byRule = redactPathSegments(policy.pathRules, host, bases);
  if (byRule.secrets.length > 0) {
    acc.secrets.push(...byRule.secrets);
    acc.findings.push({ where: '', kind: 'URL path secret' });
  }
  const collapsed = byRule.segments.length < segments.length;
  const out = byRule.segments.map((base, i) => {
    const raw = segments[i] ?? '';
    const isTail = collapsed && i === byRule.segments.length - 1;
    // a collapsed tail (`**`) is gone; its matrix values are still collected for the echo scrub
    const matrix = redactMatrix(policy, raw.slice(semi(raw)), acc);
    return isTail ? base : `${base}${matrix}`;
  });
  if (collapsed)
    for (const raw of segments.slice(byRule.segments.length)) redactMatrix(policy, raw.slice(semi(raw)), acc);
  return `/${out.join('/')}`;
};

const userInfoSecrets = (u: URL): string[] => {
  if (u.username === '' && u.password === '') return [];
  const user = safeDecode(u.username);
  const pass = safeDecode(u.password);
  const pair = `${user}:${pass}`;
  // the worker sends user-info as `Basic base64(user:pass)`: an echo of either is caught
  return [pair, Buffer.from(pair, 'utf8').toString('base64'), u.username, u.password, user, pass].filter(
    (s) => s !== '',
  );
};

/** Redacts a URL and reports what it found. A non-URL (or one without a host) is `[REDACTED]` whole. */
export const analyzeUrl = (url: string, policy: SecretPolicy): UrlAnalysis => {
  if (!URL.canParse(url)) return { redacted: REDACTED, secrets: [], findings: [] };
  const u = new URL(url);
  if (u.host === '') return { redacted: REDACTED, secrets: [], findings: [] };
  const acc: Acc = { secrets: [], findings: [] };
  const userInfo = userInfoSecrets(u);
  if (userInfo.length > 0) {
    acc.secrets.push(...userInfo);
    acc.findings.push({ where: '', kind: 'URL user-info' });
  }
  const path = redactPath(policy, u.hostname, u.pathname, acc);
  const query = u.search.length > 1 ? `?${redactPairs(policy, u.search.slice(1), acc, 'query')}` : u.search;
  if (u.hash.length > 1) acc.secrets.push(...secretsInFragment(policy, u.hash.slice(1)));
  return { redacted: `${u.protocol}//${u.host}${path}${query}`, secrets: acc.secrets, findings: acc.findings };
};

/** `#access_token=...` (implicit-grant callbacks): dropped anyway, but its values are echo-scrubbed. */
const secretsInFragment = (policy: SecretPolicy, fragment: string): string[] => {
  const acc: Acc = { secrets: [], findings: [] };
  redactPairs(policy, fragment, acc, 'query');
  return acc.secrets;
};

/** The URL as it may be stored. */
export const redactUrlWith = (url: string, policy: SecretPolicy): string => analyzeUrl(url, policy).redacted;

const RELATIVE_BASE = 'http://relative.invalid';

/**
 * A URL-valued header (`Location`), absolute or relative: redacted like a request URL;
 * a relative one stays relative.
 */
export const redactUrlValue = (value: string, policy: SecretPolicy): UrlAnalysis => {
  const trimmed = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return analyzeUrl(trimmed, policy);
  if (!URL.canParse(trimmed, RELATIVE_BASE)) return { redacted: REDACTED, secrets: [], findings: [] };
  const a = analyzeUrl(new URL(trimmed, RELATIVE_BASE).href, policy);
  return { ...a, redacted: a.redacted.startsWith(RELATIVE_BASE) ? a.redacted.slice(RELATIVE_BASE.length) : a.redacted };
};
