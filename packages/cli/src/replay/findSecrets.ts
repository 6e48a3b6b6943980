import { isSensitiveHeaderName, isSensitiveParamName, REDACTED } from '@delivery-history/core';

// Invariant 9 (no stored secret), checked on items as stored. Header maps and URLs must be
// redacted; free text (error messages, response snippets, header values) must not carry
// well-known credential shapes. Request bodies are stored as sent by design (payloads) and
// are not inspected. Findings name the path and the pattern, never the value.

export type SecretFinding = { readonly path: string; readonly pattern: string };

const PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['bearer token', /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/],
  ['basic credentials', /\bBasic\s+[A-Za-z0-9+/]{8,}={0,2}/],
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['URL credentials', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

const scanText = (path: string, s: string): SecretFinding[] =>
  PATTERNS.filter(([, re]) => re.test(s)).map(([pattern]) => ({ path, pattern }));

const checkHeaders = (path: string, headers: unknown): SecretFinding[] => {
  if (typeof headers !== 'object' || headers === null) return [];
  return Object.entries(headers as Record<string, unknown>).flatMap(([name, value]) => {
    if (typeof value !== 'string') return [];
    if (isSensitiveHeaderName(name) && value !== REDACTED)
      return [{ path: `${path}.${name}`, pattern: 'unredacted sensitive header' }];
    return scanText(`${path}.${name}`, value);
  });
};

const checkUrl = (path: string, url: unknown): SecretFinding[] => {
  if (typeof url !== 'string' || url === REDACTED) return [];
  if (!URL.canParse(url)) return [{ path, pattern: 'unparseable URL stored unredacted' }];
  const u = new URL(url);
  const found: SecretFinding[] = [];
  if (u.username !== '' || u.password !== '') found.push({ path, pattern: 'URL user-info' });
  for (const [name, value] of u.searchParams) {
    if (isSensitiveParamName(name) && value !== REDACTED)
      found.push({ path: `${path}?${name}`, pattern: 'unredacted sensitive query parameter' });
  }
  return found;
};

const get = (o: unknown, key: string): unknown =>
  typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;

/** Secrets in one stored item (STATE or ATTEMPT; other items carry no request data). */
export const findSecrets = (item: Readonly<Record<string, unknown>>): SecretFinding[] => {
  const request = get(item, 'request');
  const result = get(item, 'deliveryResult');
  const error = get(result, 'errorDetails');
  const texts: Array<readonly [string, unknown]> = [
    ['deliveryResult.statusText', get(result, 'statusText')],
    ['deliveryResult.errorDetails.message', get(error, 'message')],
    ['deliveryResult.errorDetails.responseSnippet', get(error, 'responseSnippet')],
  ];
  return [
    ...checkUrl('request.url', get(request, 'url')),
    ...checkHeaders('request.headers', get(request, 'headers')),
    ...checkHeaders('response.headers', get(get(item, 'response'), 'headers')),
    ...texts.flatMap(([path, v]) => (typeof v === 'string' ? scanText(path, v) : [])),
  ];
};
