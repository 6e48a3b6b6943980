import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// One endpoint identity: `host[:port]`, the host in its normal form (lower case, IDN as
// punycode, IP literals canonical, no trailing dot) and the port only when it is not the
// scheme's default (80 for http, 443 for https). Every place that derives an endpoint calls
// this module: the STATE's `endpoint` (the byEndpoint index key), endpoint health (projector
// buckets, `dh replay endpoints`), operator events, and the filters (`--endpoint`, the store's
// endpoint query).
//
// Existing items: the rule before was the URL parser's host, lower-cased, which already
// folded case, IDN and default ports; it differs from this one only where the host ended in
// a dot (`h.example.`). Reads cover those: an exact query also reads the trailing-dot keys
// (`endpointKeysOf`), matching normalizes the stored side (`endpointMatches`), and endpoint
// health sums an old bucket into its endpoint's row (`endpointHealthOf`); `dh replay endpoints`
// rewrites a window under the normal keys and zeroes the old ones.
// ---------------------------------------------------------------------------

export type EndpointFilter = {
  /** Normal form (see `normalizeHost`). */
  readonly host: string;
  /** null: any port (for an exact read: the scheme's default). */
  readonly port: number | null;
};

/** The one host rule: what the URL parser makes of it (case, IDN, IP forms), without trailing dots. */
const normalizeHost = (hostname: string): string => {
  const stripped = hostname.replace(/\.+$/, '');
  return stripped === '' ? hostname : stripped;
};

/** `host[:port]` of a URL (default ports omitted); '' when the URL does not parse. */
export const endpointOf = (url: string): string => {
  if (!URL.canParse(url)) return '';
  const u = new URL(url); // its port is '' for the scheme's default
  const host = normalizeHost(u.hostname);
  return u.port === '' ? host : `${host}:${u.port}`;
};

const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/;

/** `host[:port]` as typed or as stored (any case, trailing dot, IDN, `[v6]`); Left says why not. */
export const parseEndpointFilter = (text: string): E.Either<string, EndpointFilter> => {
  const s = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return E.left(`expected host[:port], not a URL: "${s}"`);
  const m = HOST_PORT.exec(s);
  const host = m?.[1] ?? '';
  if (m === null || host === '' || /[\s/?#@\\]/.test(host)) return E.left(`expected host[:port], got "${s}"`);
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65_535)) return E.left(`port out of range in "${s}"`);
  // the URL parser is the one host rule (IDN, case, IPv4 and IPv6 forms)
  const probe = `http://${host}/`;
  if (!URL.canParse(probe)) return E.left(`expected host[:port], got "${s}"`);
  return E.right({ host: normalizeHost(new URL(probe).hostname), port });
};

const format = (host: string, port: number | null): string => (port === null ? host : `${host}:${port}`);

/** A stored or typed endpoint in its normal form (unchanged when it is not `host[:port]`). */
export const normalizeEndpoint = (endpoint: string): string => {
  const f = parseEndpointFilter(endpoint);
  return E.isRight(f) ? format(f.right.host, f.right.port) : endpoint;
};

const isDefaultPort = (port: number): boolean => port === 80 || port === 443;

/**
 * Whether a stored endpoint (whichever writer stored it) is the filter's: the same host, and
 * any port for a bare host; `:80` and `:443` also match the default-port endpoint (the
 * scheme is not part of the identity).
 */
export const endpointMatches = (filter: EndpointFilter, endpoint: string): boolean => {
  const e = parseEndpointFilter(endpoint);
  if (E.isLeft(e) || e.right.host !== filter.host) return false;
  if (filter.port === null || e.right.port === filter.port) return true;
  return e.right.port === null && isDefaultPort(filter.port);
};

/** Whether a host is a name that an older writer may have stored with a trailing dot (not an IP literal). */
const isDomainName = (host: string): boolean => !host.startsWith('[') && !/^[\d.]+$/.test(host);

/**
 * The stored endpoint keys an exact read of `filter` must query: its normal form (and, for
 * :80 or :443, the default-port endpoint first), then the trailing-dot forms older writers stored.
 */
export const endpointKeysOf = (filter: EndpointFilter): string[] => {
  const ports = filter.port === null ? [null] : isDefaultPort(filter.port) ? [null, filter.port] : [filter.port];
  const hosts = isDomainName(filter.host) ? [filter.host, `${filter.host}.`] : [filter.host];
  return hosts.flatMap((h) => ports.map((p) => format(h, p)));
};
