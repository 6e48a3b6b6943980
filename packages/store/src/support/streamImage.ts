import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as E from 'fp-ts/lib/Either.js';

// Stream images arrive marshalled (DynamoDB JSON); the store is the one package that knows the
// SDK's format, so the projector asks it to turn an image into a plain item.

type Json = Record<string, unknown>;
const isObject = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * DynamoDB Local (3.3.0) sends an empty map in a stream image as `{}` instead of `{"M":{}}`
 * (AWS does not), and unmarshall() rejects it; every attempt has `truncated: {}`. An
 * attribute value otherwise always has exactly one key, so `{}` can only be an empty map.
 */
const normalizeValue = (v: unknown): unknown => {
  if (!isObject(v)) return v;
  if (Object.keys(v).length === 0) return { M: {} };
  if (isObject(v.M)) return { M: normalizeMap(v.M) };
  if (Array.isArray(v.L)) return { L: v.L.map(normalizeValue) };
  return v;
};
const normalizeMap = (m: Json): Json => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, normalizeValue(v)]));

/** A stream record's image as a plain item, or why it is not one (decode it afterwards). */
export const unmarshallStreamImage = (image: Record<string, unknown>): E.Either<string, Record<string, unknown>> =>
  E.tryCatch(
    () => unmarshall(normalizeMap(image) as Record<string, AttributeValue>),
    (e) => `NewImage does not unmarshall: ${e instanceof Error ? e.message : String(e)}`,
  );
