// The demo's traffic: receivers with the behaviours a webhook system meets, and a few
// hundred deliveries spread over them in fixed proportions (deterministic for a seed).

export type ReceiverKind = 'healthy' | 'flaky' | 'slow' | 'rateLimited' | 'broken';

export const RECEIVER_KINDS: ReadonlyArray<ReceiverKind> = ['healthy', 'flaky', 'slow', 'rateLimited', 'broken'];

/** A share of the traffic: which receiver, which path, what a reader should expect. */
export type Route = {
  readonly receiver: ReceiverKind | 'refused';
  readonly path: string;
  readonly weight: number;
  readonly expect: string;
  /** The receiver is built to fail this share: its FAILED messages are the demo working, not a fault. */
  readonly fails?: true;
};

// Paths are devkit's demo receiver routes (packages/devkit/src/receivers.ts).
export const ROUTES: ReadonlyArray<Route> = [
  { receiver: 'healthy', path: '/ok', weight: 38, expect: 'success on the first attempt' },
  // `/flaky/<n>` answers 503 by default; `code=429` is a 3-digit status, which the secret
  // policy keeps (an OAuth code or a Functions key in `code=` is redacted)
  { receiver: 'flaky', path: '/flaky/2', weight: 16, expect: '2 x 503, then success' },
  { receiver: 'slow', path: '/sleep/250', weight: 10, expect: 'slow success' },
  { receiver: 'slow', path: '/sleep/3000', weight: 4, expect: 'response timeouts until exhausted', fails: true },
  {
    receiver: 'rateLimited',
    path: '/flaky/2?code=429&retryAfter=1',
    weight: 14,
    expect: '2 x 429 with Retry-After: 1, then success',
  },
  { receiver: 'broken', path: '/status/500', weight: 7, expect: '500 until attempts are exhausted', fails: true },
  { receiver: 'broken', path: '/status/404', weight: 5, expect: '404: permanent, no retry', fails: true },
  { receiver: 'broken', path: '/reset', weight: 3, expect: 'connection reset until exhausted', fails: true },
  { receiver: 'refused', path: '/hook', weight: 3, expect: 'connection refused until exhausted', fails: true },
];

export type DemoDelivery = {
  readonly messageId: string;
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly correlationId: string;
  readonly maxAttempts: number;
};

export type ScenarioOptions = {
  readonly count: number;
  readonly maxAttempts: number;
  /** Base URL per receiver kind (and the refused one). */
  readonly baseUrls: Readonly<Record<ReceiverKind | 'refused', string>>;
  /** Prefix of message ids (unique per run, so a reused table does not collide). */
  readonly runId: string;
};

/** Route i of n, by weight, interleaved so every kind shows up early in the progress. */
export const routeFor = (i: number): Route => {
  const total = ROUTES.reduce((n, r) => n + r.weight, 0);
  // a stride coprime with the total spreads consecutive messages over the routes
  let slot = (i * 37) % total;
  for (const r of ROUTES) {
    if (slot < r.weight) return r;
    slot -= r.weight;
  }
  return ROUTES[0] as Route;
};

export const buildScenario = (o: ScenarioOptions): DemoDelivery[] =>
  Array.from({ length: o.count }, (_, i) => {
    const route = routeFor(i);
    const n = String(i + 1).padStart(4, '0');
    const order = `order-${1000 + Math.floor(i / 3)}`;
    return {
      messageId: `${o.runId}-${n}`,
      url: `${o.baseUrls[route.receiver]}${route.path}${route.path.includes('?') ? '&' : '?'}token=demo-secret-${n}`,
      method: 'POST',
      // credentials on purpose: the history shows them redacted. No webhook-id: the worker
      // sends its own (the messageId), which the flaky receivers count requests by.
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer demo-${n}-s3cr3t`,
      },
      body: JSON.stringify({ type: 'order.updated', order, sequence: i + 1, receiver: route.receiver }),
      // three deliveries per order share a correlation id (dh correlation <id>)
      correlationId: `${o.runId}-${order}`,
      maxAttempts: o.maxAttempts,
    };
  });
