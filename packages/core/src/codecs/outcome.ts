import * as t from 'io-ts';
import { OutcomeCategory } from './enums.js';
import { intRange, IsoTimestamp, NonNegativeInt, nullable } from './primitives.js';

// ---------------------------------------------------------------------------
// ErrorDetails and DeliveryResult (the seed's structure; identical on STATE and
// on every attempt).
// ---------------------------------------------------------------------------

export const ErrorDetails = t.type(
  {
    code: t.string,
    message: t.string,
    category: OutcomeCategory,
    responseSnippet: nullable(t.string),
  },
  'ErrorDetails',
);
export type ErrorDetails = t.TypeOf<typeof ErrorDetails>;

export const StatusCode = intRange(100, 999, 'HTTP status code 100..999');

export const DeliveryResult = t.type(
  {
    success: t.boolean,
    retryEligible: t.boolean,
    category: OutcomeCategory,
    statusCode: nullable(StatusCode),
    statusText: nullable(t.string),
    responseTime: NonNegativeInt,
    errorDetails: nullable(ErrorDetails),
    timestamp: IsoTimestamp,
    correlationId: t.string,
  },
  'DeliveryResult',
);
export type DeliveryResult = t.TypeOf<typeof DeliveryResult>;

/** dotted field path -> original UTF-8 byte count of a field shortened by fitToBudget. */
export const Truncations = t.record(t.string, NonNegativeInt, 'Truncations');
export type Truncations = t.TypeOf<typeof Truncations>;
