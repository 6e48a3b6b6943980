import { codePointName, unsendableHeaderChar, redaction } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// The headers actually sent: the request's own, minus what the transport owns,
// plus defaults and (when configured) the signature headers, which always win. The
// Standard Webhooks headers are the worker's: a request's own are dropped, signed or not.
// ---------------------------------------------------------------------------

/** Set by the transport, or hop-by-hop: a request may not choose them. */
const TRANSPORT_OWNED: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
  'proxy-authorization',
]);

const WORKER_OWNED: ReadonlySet<string> = new Set(redaction.WORKER_OWNED_HEADERS);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const USER_AGENT = 'delivery-history-worker/0.1';

export type HeaderInput = {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Signature headers (lower-case names), added last. */
  readonly signature: Readonly<Record<string, string>>;
  /** `user:password` from the URL, sent as Basic auth when no Authorization is given. */
  readonly userInfo: string | null;
};

/** Lower-cased names; an invalid name or value is a Left naming the header (never its value). */
export const prepareHeaders = (input: HeaderInput): E.Either<string, Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(input.headers)) {
    const name = rawName.toLowerCase();
    if (!TOKEN.test(name)) return E.left(`invalid header name ${JSON.stringify(rawName.slice(0, 64))}`);
    // CR, LF or NUL would smuggle headers or split the request; undici refuses any control,
    // and anything past Latin-1 (U+202E...): refused here, naming the character, never its value
    const bad = unsendableHeaderChar(value);
    if (bad !== null)
      return E.left(`invalid value for header ${name} (${codePointName(bad.char)} at index ${bad.index})`);
    if (TRANSPORT_OWNED.has(name) || WORKER_OWNED.has(name) || Object.hasOwn(input.signature, name)) continue;
    out[name] = value;
  }
  out['user-agent'] ??= USER_AGENT;
  if (input.body !== '') out['content-type'] ??= 'application/json';
  if (input.userInfo !== null && out.authorization === undefined) {
    out.authorization = `Basic ${Buffer.from(input.userInfo, 'utf8').toString('base64')}`;
  }
  return E.right({ ...out, ...input.signature });
};
