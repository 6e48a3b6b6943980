import { detectInText } from './freeText.js';
import { REDACTED } from './names.js';
import { defaultSecretPolicy, isSecretHeader, type SecretPolicy } from './policy.js';
import { isSealedEnvelope } from '../seal/sealEnvelope.js';
import { isWorkerOwnedHeader } from './request.js';
import { analyzeUrl, redactUrlValue } from './url.js';

// ---------------------------------------------------------------------------
// The checker `dh verify` runs on stored items: the same rules that redacted them.
// Header maps and URLs must be redacted; every other string (texts, header values, audit
// entries) must not carry a credential shape. `request.body` is the customer's payload and
// is stored as sent by design. Findings name the path and the rule, never the value.
// ---------------------------------------------------------------------------

export type SecretFinding = { readonly path: string; readonly pattern: string };

const URL_KEYS: ReadonlySet<string> = new Set(['url', 'location', 'content-location']);
const MAX_DEPTH = 8;
const SEALED_PATH = 'sealed';

const checkUrl = (policy: SecretPolicy, path: string, url: string, relative: boolean): SecretFinding[] => {
  if (url === REDACTED) return [];
  if (!relative && !URL.canParse(url)) return [{ path, pattern: 'unparseable URL stored unredacted' }];
  const a = relative ? redactUrlValue(url, policy) : analyzeUrl(url, policy);
  return a.findings.map((f) => ({ path: `${path}${f.where}`, pattern: f.kind }));
};

const checkHeaders = (
  policy: SecretPolicy,
  path: string,
  headers: Record<string, unknown>,
  sent: boolean,
): SecretFinding[] =>
  Object.entries(headers).flatMap(([name, value]) => {
    if (typeof value !== 'string') return [];
    const p = `${path}.${name}`;
    // the worker's own Standard Webhooks headers of a request as sent (redactSentHeadersWith)
    if (sent && isWorkerOwnedHeader(name)) return [];
    if (isSecretHeader(policy, name))
      return value === REDACTED ? [] : [{ path: p, pattern: 'unredacted sensitive header' }];
    if (URL_KEYS.has(name.toLowerCase()))
      return [...checkUrl(policy, p, value, true), ...textFindings(policy, p, value)];
    return textFindings(policy, p, value);
  });

const textFindings = (policy: SecretPolicy, path: string, s: string): SecretFinding[] =>
  detectInText(s, policy)
    .filter((d) => d !== 'URL secret')
    .map((pattern) => ({ path, pattern }));

const walk = (policy: SecretPolicy, path: string, key: string, v: unknown, depth: number): SecretFinding[] => {
  if (path === 'request.body' || depth > MAX_DEPTH) return [];
  // STATE's sealed credentials: ciphertext only the worker can open (DESIGN, "sealed, not dropped")
  if (path === SEALED_PATH)
    return isSealedEnvelope(v) ? [] : [{ path, pattern: 'sealed attribute is not a sealed envelope' }];
  if (typeof v === 'string') {
    if (URL_KEYS.has(key)) return [...checkUrl(policy, path, v, false), ...textFindings(policy, path, v)];
    return textFindings(policy, path, v);
  }
  if (typeof v !== 'object' || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => walk(policy, `${path}[${i}]`, key, x, depth + 1));
  if (key === 'headers' || key === 'sentHeaders')
    return checkHeaders(policy, path, v as Record<string, unknown>, key === 'sentHeaders');
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
    walk(policy, path === '' ? k : `${path}.${k}`, k, x, depth + 1),
  );
};

/** Secrets in one stored item (any type; request bodies are not inspected). */
export const findSecrets = (
  item: Readonly<Record<string, unknown>>,
  policy: SecretPolicy = defaultSecretPolicy,
): SecretFinding[] => walk(policy, '', '', item, 0);
