import { formatIp, type IpAddress, parseIp, samePrefix } from './ipAddress.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type Cidr = { readonly ip: IpAddress; readonly bits: number; readonly text: string };

/** Why an address may not be a delivery target. */
export type BlockedRange = Cidr & { readonly reason: string };

export type AddressVerdict =
  | { readonly _tag: 'Public' }
  | { readonly _tag: 'Special'; readonly range: string; readonly reason: string };

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/** `10.0.0.0/8`, `fe80::/10`, or a bare address (a /32 or /128). */
export const parseCidr = (text: string): Cidr | undefined => {
  const [addr = '', bitsText, ...extra] = text.trim().split('/');
  if (extra.length > 0) return undefined;
  const ip = parseIp(addr);
  if (ip === undefined) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  if (bitsText === undefined) return { ip, bits: max, text: text.trim() };
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits > max ? undefined : { ip, bits, text: text.trim() };
};

const range = (text: string, reason: string): BlockedRange => {
  const cidr = parseCidr(text);
  // A typo in the table below is a programmer error: fail at module load.
  if (cidr === undefined) throw new Error(`bad CIDR in blocked range table: ${text}`);
  return { ...cidr, reason };
};

// ---------------------------------------------------------------------------
// the table (mirrored in packages/worker/README.md)
// ---------------------------------------------------------------------------

export const BLOCKED_V4: ReadonlyArray<BlockedRange> = [
  range('0.0.0.0/8', '"this network"'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared address space (CGNAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata)'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', '6to4 relay anycast'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved / broadcast'),
];

export const BLOCKED_V6: ReadonlyArray<BlockedRange> = [
  range('::/96', 'unspecified, loopback or IPv4-compatible'),
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('100::/64', 'discard-only'),
  range('2001::/23', 'IETF protocol assignments (Teredo, benchmarking, ORCHID)'),
  range('2001:db8::/32', 'documentation'),
  range('3fff::/20', 'documentation'),
  range('fc00::/7', 'unique local (private)'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local (deprecated)'),
  range('ff00::/8', 'multicast'),
];

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

export const inCidr = (ip: IpAddress, cidr: Cidr): boolean =>
  ip.family === cidr.ip.family && samePrefix(ip.bytes, cidr.ip.bytes, cidr.bits);

const v4 = (bytes: ArrayLike<number>, at: number): IpAddress => ({
  family: 4,
  bytes: Uint8Array.from([bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0]),
});

const MAPPED = range('::ffff:0:0/96', 'IPv4-mapped');
const NAT64 = range('64:ff9b::/96', 'NAT64');
const SIX_TO_FOUR = range('2002::/16', '6to4');

/**
 * The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), so that
 * `::ffff:127.0.0.1` or `2002:7f00:1::` are judged as 127.0.0.1.
 */
export const embeddedV4 = (ip: IpAddress): IpAddress | undefined => {
  if (ip.family !== 6) return undefined;
  if (inCidr(ip, MAPPED) || inCidr(ip, NAT64)) return v4(ip.bytes, 12);
  if (inCidr(ip, SIX_TO_FOUR)) return v4(ip.bytes, 2);
  return undefined;
};

/** Whether `ip` is in a special-purpose range (loopback, private, link-local, ...). */
export const classifyAddress = (ip: IpAddress): AddressVerdict => {
  const inner = embeddedV4(ip);
  const judged = inner ?? ip;
  const table = judged.family === 4 ? BLOCKED_V4 : BLOCKED_V6;
  const hit = table.find((r) => inCidr(judged, r));
  if (hit === undefined) return { _tag: 'Public' };
  const via = inner === undefined ? '' : ` (embedded IPv4 ${formatIp(inner)})`;
  return { _tag: 'Special', range: hit.text, reason: `${hit.reason}${via}` };
};
