import * as E from 'fp-ts/lib/Either.js';
import { parseAllowList } from '../request/allowList.js';
import { AwsRegion, EndpointUrl, EventBusName, intString, parsedString, TableName } from './envCodecs.js';

// ---------------------------------------------------------------------------
// The variables more than one package reads, each with its one rule. Defaults stay with
// the readers (`withDefault(sharedVars.X, ...)` / `optionalVar(sharedVars.X)`), so every
// package keeps its documented defaults while the rules cannot drift apart.
// ---------------------------------------------------------------------------

const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;

/** `on` or `off` (a feature switch). */
export const OnOff = parsedString('on|off', (s) =>
  s === 'on' ? E.right(true) : s === 'off' ? E.right(false) : E.left('expected on or off'),
);

export const sharedVars = {
  DELIVERY_TABLE_NAME: TableName,
  AWS_REGION: AwsRegion,
  AWS_ENDPOINT_URL_DYNAMODB: EndpointUrl,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: EndpointUrl,
  AWS_ENDPOINT_URL_SQS: EndpointUrl,
  DELIVERY_QUEUE_URL: EndpointUrl,
  /** The limit for requests that carry none: the bounds of a request's own `maxAttempts` (a test keeps them equal). */
  DELIVERY_MAX_ATTEMPTS: intString(1, 100),
  DELIVERY_TIMEOUT_MS: intString(100, 900_000, 'ms'),
  DELIVERY_BACKOFF_BASE_MS: intString(0, TWELVE_HOURS_MS, 'ms'),
  DELIVERY_BACKOFF_MAX_MS: intString(0, TWELVE_HOURS_MS, 'ms'),
  /** Retention: a final message's items expire this many days after its last attempt (unset: kept). */
  DELIVERY_RETENTION_DAYS: intString(1, 3650, 'days'),
  /** Hosts/CIDRs exempt from the SSRF guard (the worker's; a re-drive warns by the same list). */
  DELIVERY_ALLOW_TARGETS: parsedString('IP, CIDR, host name or *.suffix list', parseAllowList),
  /** Operator events: the EventBridge bus the projector publishes to (unset: events off). */
  DELIVERY_EVENT_BUS_NAME: EventBusName,
  /** The endpoint breaker (issue 27): the projector decides it, the worker holds for it (default off). */
  DELIVERY_BREAKER: OnOff,
} as const;
