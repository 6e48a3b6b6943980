import { type AllowList, addressAllowed, hostAllowed } from './allowList.js';
import { classifyAddress } from './blockedRanges.js';
import { parseIp } from './ipAddress.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type GuardVerdict =
  | { readonly _tag: 'Allowed' }
  | { readonly _tag: 'Blocked'; readonly address: string; readonly reason: string };

/** Carries code `BLOCKED_TARGET` through node's connect callbacks to the delivery result. */
export class BlockedTargetError extends Error {
  readonly code = 'BLOCKED_TARGET';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `blocked target ${hostname}${hostname === address ? '' : ` (${address})`}: ${reason}; allow it with DELIVERY_ALLOW_TARGETS`,
    );
    this.name = 'BlockedTargetError';
  }
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * May we connect to `address` (a resolved IP) for a URL naming `hostname`?
 * Public addresses: yes. Special-purpose ones: only when the name or the address is
 * on the allow-list.
 */
export const checkTarget = (list: AllowList, hostname: string, address: string): GuardVerdict => {
  if (hostAllowed(list, hostname)) return { _tag: 'Allowed' };
  const ip = parseIp(address);
  if (ip === undefined) return { _tag: 'Blocked', address, reason: 'not an IP address' };
  if (addressAllowed(list, ip)) return { _tag: 'Allowed' };
  const verdict = classifyAddress(ip);
  return verdict._tag === 'Public'
    ? { _tag: 'Allowed' }
    : { _tag: 'Blocked', address, reason: `${verdict.reason}, range ${verdict.range}` };
};
