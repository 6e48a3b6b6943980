import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import { isSensitiveHeaderName, isSensitiveParamName, REDACTED } from './sensitiveNames.js';

/** A copy of `headers` with the values of sensitive headers replaced by `[REDACTED]`. */
export const redactHeaders = (
  headers: Readonly<Record<string, string>>,
  extraNames: ReadonlyArray<string> = [],
): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSensitiveHeaderName(k, extraNames) ? REDACTED : v]));

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** Redact sensitive `name=value` pairs of a query string (without `?`), other pairs kept verbatim. */
const redactQuery = (query: string, extraNames: ReadonlyArray<string>): string =>
  query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (!isSensitiveParamName(safeDecode(name), extraNames)) return pair;
      return eq < 0 ? pair : `${name}=${REDACTED}`;
    })
    .join('&');

/**
 * The URL as it may be stored: user-info removed, values of sensitive query
 * parameters replaced by `[REDACTED]`, the fragment dropped (never sent anyway).
 * A string that is not a URL is replaced as a whole (it could be anything).
 */
export const redactUrl = (url: string, extraParamNames: ReadonlyArray<string> = []): string => {
  if (!URL.canParse(url)) return REDACTED;
  const u = new URL(url);
  const query = u.search.length > 1 ? `?${redactQuery(u.search.slice(1), extraParamNames)}` : u.search;
  return `${u.protocol}//${u.host}${u.pathname}${query}`;
};

export interface RedactOptions {
  readonly extraHeaderNames?: ReadonlyArray<string>;
  readonly extraParamNames?: ReadonlyArray<string>;
}

/** The request with its URL and headers redacted (body and other fields unchanged). */
export const redactRequest = (request: DeliveryRequest, options: RedactOptions = {}): DeliveryRequest => ({
  ...request,
  url: redactUrl(request.url, options.extraParamNames ?? []),
  headers: redactHeaders(request.headers, options.extraHeaderNames ?? []),
});
