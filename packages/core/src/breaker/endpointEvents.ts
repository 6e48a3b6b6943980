import { sha256Hex } from '../request/requestDigest.js';
import type { BreakerMode, BreakerTransition, BreakerWarning } from './breakerState.js';

// ---------------------------------------------------------------------------
// Operator events about an endpoint's breaker (issue 27): `endpoint.opened`, `.recovered`,
// `.paused`, `.resumed`, `.disabled`, `.warning` (50/70/90 % of the disable streak). Ids are
// stable per change (endpoint, kind, time, breaker version), so a consumer dedupes by them.
// ---------------------------------------------------------------------------

export type EndpointEventKind = 'opened' | 'recovered' | 'paused' | 'resumed' | 'disabled' | 'warning';

export type EndpointEventDetail = {
  readonly eventId: string;
  readonly endpoint: string;
  readonly from: BreakerMode | null;
  readonly to: BreakerMode | null;
  readonly reason: string;
  readonly by: string;
  readonly time: string;
  /** warning only: the level (percent of the disable streak), the streak and the limit. */
  readonly warning: { readonly level: number; readonly streak: number; readonly disableStreak: number } | null;
};

export type EndpointEvent = {
  readonly source: 'delivery-history';
  readonly detailType: `endpoint.${EndpointEventKind}`;
  readonly detail: EndpointEventDetail;
};

const idOf = (endpoint: string, kind: EndpointEventKind, at: string, version: number, extra = ''): string =>
  sha256Hex(JSON.stringify([endpoint, kind, at, version, extra])).slice(0, 32);

/** The event a mode change tells; none for the internal open <-> half_open steps. */
const kindOf = (t: BreakerTransition): EndpointEventKind | null => {
  if (t.to === 'paused') return 'paused';
  if (t.to === 'disabled') return 'disabled';
  if (t.to === 'open' && t.from === 'closed') return 'opened';
  if (t.to === 'closed')
    return t.from === 'paused' || t.from === 'disabled' || t.by !== 'breaker' ? 'resumed' : 'recovered';
  return null;
};

export const endpointEventsOf = (
  transitions: ReadonlyArray<BreakerTransition>,
  warnings: ReadonlyArray<BreakerWarning>,
): EndpointEvent[] => [
  ...transitions.flatMap((t): EndpointEvent[] => {
    const kind = kindOf(t);
    if (kind === null) return [];
    return [
      {
        source: 'delivery-history',
        detailType: `endpoint.${kind}`,
        detail: {
          eventId: idOf(t.endpoint, kind, t.at, t.version, t.to),
          endpoint: t.endpoint,
          from: t.from,
          to: t.to,
          reason: t.reason,
          by: t.by,
          time: t.at,
          warning: null,
        },
      },
    ];
  }),
  ...warnings.map(
    (w): EndpointEvent => ({
      source: 'delivery-history',
      detailType: 'endpoint.warning',
      detail: {
        eventId: idOf(w.endpoint, 'warning', w.at, w.version, String(w.level)),
        endpoint: w.endpoint,
        from: null,
        to: null,
        reason: `${w.streak} consecutive retryable failures: ${w.level} % of the disable streak (${w.disableStreak})`,
        by: 'breaker',
        time: w.at,
        warning: { level: w.level, streak: w.streak, disableStreak: w.disableStreak },
      },
    }),
  ),
];
