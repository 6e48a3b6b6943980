import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AllowList, checkTarget, type DeliveryRequest, redaction } from '@delivery-history/core';

/** Every address a name resolves to here (injectable so tests can answer for DNS). */
export type Resolver = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string }>>;
const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true });

// What a re-drive warns of before anything is sent (and in a dry run): a target the worker's
// SSRF guard would refuse (the worker's own rule: checkTarget on every address the name
// resolves to, with the allow-list of DELIVERY_ALLOW_TARGETS), and credentials that go out
// as core's [REDACTED] marker: stored redacted (invariant 9) and not sealed (a message from
// before sealing, or one sealed by no key), so the worker cannot restore them.

export type WarnOptions = {
  readonly allow: AllowList;
  /** A queue is configured: the worker on AWS has its own DELIVERY_ALLOW_TARGETS. */
  readonly remoteWorker: boolean;
  readonly resolve?: Resolver;
};

const unbracket = (host: string): string => host.replace(/^\[|\]$/g, '');

const blockedText = (host: string, address: string, reason: string, o: WarnOptions): string =>
  `target ${host}${host === address ? '' : ` (${address})`} is blocked (${reason}): ` +
  'the worker will refuse it unless DELIVERY_ALLOW_TARGETS allows it' +
  (o.remoteWorker
    ? "; on AWS it is the worker's DELIVERY_ALLOW_TARGETS that counts (checked here against this shell's)"
    : '');

/** The blocked-target warnings of one host name (a literal IP needs no lookup). */
const checkHost = async (host: string, o: WarnOptions): Promise<ReadonlyArray<string>> => {
  let addresses: ReadonlyArray<string>;
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await (o.resolve ?? systemResolver)(host)).map((a) => a.address);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      return [
        `target ${host} did not resolve here (${why}): the delivery fails if the worker cannot resolve it either`,
      ];
    }
  }
  return addresses.flatMap((address) => {
    const v = checkTarget(o.allow, host, address);
    return v._tag === 'Blocked' ? [blockedText(host, v.address, v.reason, o)] : [];
  });
};

/** Header names and URL parts that carry the [REDACTED] marker instead of a credential. */
const redactedParts = (request: Pick<DeliveryRequest, 'url' | 'headers'>): ReadonlyArray<string> => {
  const headers = Object.entries(request.headers)
    .filter(([, v]) => v.includes(redaction.REDACTED))
    .map(([k]) => `header ${k}`);
  let url: ReadonlyArray<string> = [];
  try {
    const u = new URL(request.url);
    const params = [...u.searchParams]
      .filter(([, v]) => v.includes(redaction.REDACTED))
      .map(([k]) => `query parameter ${k}`);
    const info = decodeURIComponent(`${u.username}:${u.password}`).includes(redaction.REDACTED)
      ? ['URL user-info']
      : [];
    const path = decodeURIComponent(u.pathname).includes(redaction.REDACTED) ? ['URL path'] : [];
    url = [...params, ...info, ...path];
  } catch {
    url = request.url.includes(redaction.REDACTED) ? ['URL'] : [];
  }
  return [...headers, ...url];
};

const redactedText = (parts: ReadonlyArray<string>): string =>
  `credentials go out redacted: ${parts.join(', ')} ${parts.length === 1 ? 'carries' : 'carry'} "${redaction.REDACTED}" ` +
  '(the message has no sealed credentials, so the worker cannot restore them unless it has a credential ' +
  'configured for this endpoint, DELIVERY_ENDPOINT_CREDENTIALS; the receiver may refuse it)';

/** The warnings of one request to be re-driven; host lookups are shared across a run. */
export const redriveWarnings = (
  o: WarnOptions,
): ((request: DeliveryRequest, credentialsSealed: boolean) => Promise<ReadonlyArray<string>>) => {
  const hosts = new Map<string, Promise<ReadonlyArray<string>>>();
  return async (request, credentialsSealed) => {
    let host: string | null = null;
    try {
      host = unbracket(new URL(request.url).hostname);
    } catch {
      host = null;
    }
    const target = host === null ? [] : await hostWarnings(hosts, host, o);
    // sealed: the worker restores them at send time
    const parts = credentialsSealed ? [] : redactedParts(request);
    return [...target, ...(parts.length > 0 ? [redactedText(parts)] : [])];
  };
};

const hostWarnings = (
  cache: Map<string, Promise<ReadonlyArray<string>>>,
  host: string,
  o: WarnOptions,
): Promise<ReadonlyArray<string>> => {
  const known = cache.get(host);
  if (known !== undefined) return known;
  const checked = checkHost(host, o);
  cache.set(host, checked);
  return checked;
};
