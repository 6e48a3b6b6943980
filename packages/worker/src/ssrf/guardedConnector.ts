import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import buildConnector from 'undici/lib/core/connect.js';
import { type AllowList, BlockedTargetError, checkTarget } from '@delivery-history/core';

// ---------------------------------------------------------------------------
// The SSRF guard sits where the socket is opened: names are checked on the
// addresses the socket will actually use (so DNS rebinding between a check and
// the connect cannot slip through), IP literals are checked before connecting.
// ---------------------------------------------------------------------------

/** `dns.lookup` with `all: true` (injectable so tests can play a rebinding DNS). */
export type Resolver = (
  hostname: string,
  options: { readonly family?: number; readonly hints?: number },
) => Promise<ReadonlyArray<LookupAddress>>;

export const systemResolver: Resolver = (hostname, options) =>
  new Promise((ok, fail) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 }, (err, addresses) =>
      err ? fail(err) : ok(addresses),
    );
  });

const notFound = (hostname: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });

/** RFC 6761: `.invalid` never resolves; answer at once instead of asking DNS. */
const isInvalidTld = (hostname: string): boolean => /(^|\.)invalid\.?$/i.test(hostname);

/** A `net.connect` lookup that refuses to hand out addresses the guard blocks. */
export const guardedLookup =
  (allow: AllowList, resolve: Resolver = systemResolver): LookupFunction =>
  (hostname, options, callback) => {
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the SSRF lookup: resolve, judge every address, answer in node's callback shape
    const answer = async (): Promise<ReadonlyArray<LookupAddress>> => {
      if (isInvalidTld(hostname)) throw notFound(hostname);
      const family = typeof options.family === 'number' ? options.family : 0;
      const addresses = await resolve(hostname, { family, hints: options.hints ?? 0 });
      if (addresses.length === 0) throw notFound(hostname);
      // Any blocked address refuses the name: a name mixing public and private answers is
      // exactly what a rebinding attacker serves.
      for (const a of addresses) {
        const verdict = checkTarget(allow, hostname, a.address);
        if (verdict._tag === 'Blocked') throw new BlockedTargetError(hostname, verdict.address, verdict.reason);
      }
      return addresses;
    };
    answer().then(
      (addresses) => {
        const first = addresses[0] as LookupAddress;
        if (options.all === true) callback(null, [...addresses]);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };

export type GuardedConnectorOptions = {
  readonly allow: AllowList;
  readonly connectTimeoutMs: number;
  readonly resolve?: Resolver;
};

/** An undici `connect` function enforcing the guard for names and IP literals alike. */
export const guardedConnector = (options: GuardedConnectorOptions): buildConnector.connector => {
  const base = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: guardedLookup(options.allow, options.resolve),
  });
  return (connectOptions, callback) => {
    const { hostname } = connectOptions;
    if (isIP(hostname) !== 0) {
      // net.connect skips `lookup` for literals, so they are judged here.
      const verdict = checkTarget(options.allow, hostname, hostname);
      if (verdict._tag === 'Blocked') {
        process.nextTick(() => callback(new BlockedTargetError(hostname, verdict.address, verdict.reason), null));
        return;
      }
    }
    base(connectOptions, callback);
  };
};
