import { REDACTED } from './names.js';
import type { SecretPolicy } from './policy.js';
import { PROVIDER_TOKENS } from './providerTokens.js';
import { analyzeUrl } from './url.js';

// ---------------------------------------------------------------------------
// Free text (response snippets, reason phrases, error messages, header values, log
// strings): value shapes that are credentials wherever they appear, plus an exact-value
// scrub of the secrets this very request carried (so an echo is caught whatever its shape).
// ---------------------------------------------------------------------------

export interface TextDetector {
  /** Also the finding `dh verify` reports. */
  readonly name: string;
  readonly re: RegExp;
  readonly replace: (policy: SecretPolicy, match: string, ...groups: string[]) => string;
}

const looksLikeBasicCredentials = (b64: string): boolean => {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return text.includes(':') && /^[\x20-\x7e]+$/.test(text);
};

/** A token-like value: long, or with a digit (real tokens nearly always have one). */
const tokenLike = (v: string): boolean => v.length >= 20 || /\d/.test(v);

const ASSIGNMENT =
  /\b([A-Za-z0-9_.-]*?(?:token|secret|password|passwd|pwd|passphrase|api[_-]?key|apikey|access[_-]?key|signature|credential|session[_-]?id|sessionid|authorization|auth|cookie|ticket|key|sig)["']?)(\s*[:=]\s*["']?)([^\s"'&;,<>{}()[\]\\]{8,})/gi;

export const TEXT_DETECTORS: ReadonlyArray<TextDetector> = [
  {
    name: 'private key',
    re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replace: () => REDACTED,
  },
  {
    name: 'bearer token',
    re: /\b(Bearer)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
    replace: (_p, _m, scheme = '', space = '') => `${scheme}${space}${REDACTED}`,
  },
  {
    name: 'basic credentials',
    re: /\b(Basic)(\s+)([A-Za-z0-9+/]{6,}={0,2})/gi,
    replace: (_p, m, scheme = '', space = '', b64 = '') =>
      looksLikeBasicCredentials(b64) ? `${scheme}${space}${REDACTED}` : m,
  },
  {
    name: 'JWT',
    re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replace: () => REDACTED,
  },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: () => REDACTED },
  // GitHub, Stripe, Slack, Google, npm, GitLab, Twilio, SendGrid, OpenAI, Azure... (the one list)
  ...PROVIDER_TOKENS.map(
    (t): TextDetector => ({ name: t.name, re: t.re, replace: (_p, _m, prefix = '') => `${prefix}${REDACTED}` }),
  ),
  {
    name: 'URL credentials',
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s@?#"'<>]+)@/gi,
    replace: (_p, m, scheme = '', user = '') => (user === REDACTED ? m : `${scheme}${REDACTED}@`),
  },
  {
    // a URL in text: its query, matrix and provider-path secrets (only when there are any,
    // so a URL without secrets stays byte for byte)
    name: 'URL secret',
    re: /\bhttps?:\/\/[^\s"'<>\\]+/gi,
    replace: (policy, m) => {
      const a = analyzeUrl(m, policy);
      return a.secrets.length === 0 ? m : a.redacted;
    },
  },
  {
    name: 'secret assignment',
    re: ASSIGNMENT,
    replace: (_p, m, name = '', sep = '', value = '') => (tokenLike(value) ? `${name}${sep}${REDACTED}` : m),
  },
];

/** The detector names whose shapes occur in `text` (what `dh verify` reports). */
export const detectInText = (text: string, policy: SecretPolicy): string[] =>
  TEXT_DETECTORS.filter(
    (d) => text.replace(d.re, (m, ...g) => d.replace(policy, m, ...g.filter(isString))) !== text,
  ).map((d) => d.name);

const isString = (x: unknown): x is string => typeof x === 'string';

const scrubShapes = (text: string, policy: SecretPolicy): string =>
  TEXT_DETECTORS.reduce((s, d) => s.replace(d.re, (m, ...g) => d.replace(policy, m, ...g.filter(isString))), text);

// ---------------------------------------------------------------------------
// exact values
// ---------------------------------------------------------------------------

/** Shorter values are not scrubbed by value (they would mangle ordinary text). */
export const MIN_EXACT_SECRET_CHARS = 6;

/** This request's secret values, longest first, with the spellings an echo may use. */
export interface KnownSecrets {
  readonly values: ReadonlyArray<string>;
  readonly pattern: RegExp | null;
}

export const NO_KNOWN_SECRETS: KnownSecrets = { values: [], pattern: null };

const spellings = (v: string): string[] => {
  const out = [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)];
  try {
    out.push(decodeURIComponent(v.replace(/\+/g, ' ')));
  } catch {
    // not percent-encoded
  }
  return out;
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const knownSecrets = (values: ReadonlyArray<string>): KnownSecrets => {
  const all = [...new Set(values.flatMap(spellings))]
    .filter((v) => v.length >= MIN_EXACT_SECRET_CHARS && v !== REDACTED)
    .sort((a, b) => b.length - a.length);
  return { values: all, pattern: all.length === 0 ? null : new RegExp(all.map(escapeRe).join('|'), 'g') };
};

/** A text cut short (snippet cap) may end in the first characters of a secret. */
const scrubTail = (text: string, known: KnownSecrets): string => {
  for (const v of known.values) {
    for (let n = Math.min(v.length - 1, text.length); n >= MIN_EXACT_SECRET_CHARS; n--) {
      if (text.endsWith(v.slice(0, n))) return `${text.slice(0, text.length - n)}${REDACTED}`;
    }
  }
  return text;
};

/** The free-text scrub: this request's own values first, then the value shapes. */
export const scrubText = (text: string, policy: SecretPolicy, known: KnownSecrets = NO_KNOWN_SECRETS): string => {
  const exact = known.pattern === null ? text : scrubTail(text.replace(known.pattern, REDACTED), known);
  return scrubShapes(exact, policy);
};
