import * as E from 'fp-ts/lib/Either.js';
import { type Cidr, embeddedV4, inCidr, parseCidr } from './blockedRanges.js';
import type { IpAddress } from './ipAddress.js';

// ---------------------------------------------------------------------------
// model: DELIVERY_ALLOW_TARGETS, e.g. `127.0.0.1, 10.1.0.0/16, hooks.internal, *.corp.example`
// ---------------------------------------------------------------------------

export type AllowList = {
  readonly cidrs: ReadonlyArray<Cidr>;
  /** Exact host names, lower-case, no trailing dot. */
  readonly hosts: ReadonlyArray<string>;
  /** `*.corp.example` kept as `.corp.example`: any name ending so. */
  readonly suffixes: ReadonlyArray<string>;
};

export const EMPTY_ALLOW_LIST: AllowList = { cidrs: [], hosts: [], suffixes: [] };

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

export const normalizeHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, '');

/** Parses the comma list; every bad entry is named in the error. */
export const parseAllowList = (text: string): E.Either<string, AllowList> => {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const cidrs: Cidr[] = [];
  const hosts: string[] = [];
  const suffixes: string[] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    const cidr =
      /^[0-9a-fA-F:.[\]%/]+$/.test(entry) && /[.:]/.test(entry)
        ? parseCidr(entry.replace(/^\[|\](?=\/|$)/g, ''))
        : undefined;
    const name = normalizeHost(entry);
    if (cidr !== undefined) cidrs.push(cidr);
    else if (name.startsWith('*.') && HOST_NAME.test(name.slice(2))) suffixes.push(name.slice(1));
    else if (HOST_NAME.test(name) && !/^[0-9.]+$/.test(name)) hosts.push(name);
    else bad.push(entry);
  }
  return bad.length > 0
    ? E.left(`bad entries: ${bad.map((b) => JSON.stringify(b)).join(', ')}`)
    : E.right({ cidrs, hosts, suffixes });
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** The name as written in the URL is exempt (its addresses are not checked). */
export const hostAllowed = (list: AllowList, hostname: string): boolean => {
  const h = normalizeHost(hostname);
  return list.hosts.includes(h) || list.suffixes.some((s) => h.endsWith(s));
};

/** The address is in an allowed CIDR (an IPv4 entry also covers its IPv4-mapped IPv6 form). */
export const addressAllowed = (list: AllowList, ip: IpAddress): boolean => {
  const inner = embeddedV4(ip);
  return list.cidrs.some((c) => inCidr(ip, c) || (inner !== undefined && inCidr(inner, c)));
};
