import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { parseStreamRecord } from '@delivery-history/projector/testing';
import type { StreamsPort } from '@delivery-history/store';
import { streamsPortOf } from '@delivery-history/store/testing';

// DynamoDB Local 3.3.0 writes an EMPTY MAP in a stream record as `{}` instead of
// `{"M":{}}` (checked on the wire: `"m":{}` next to `"l":{"L":[]}`), and unmarshall() then
// rejects the whole image. Every ATTEMPT item carries `truncated: {}`, so without a fix the
// local poller cannot decode a single attempt. AWS itself sends `{"M":{}}`.
// This port repairs such values on the way in -- only when the projector does not already
// cope (probed once below), so a fix in the projector switches this off by itself.

type Av = Record<string, unknown>;

const repairValue = (v: unknown): unknown => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const av = v as Av;
  const keys = Object.keys(av);
  if (keys.length === 0) return { M: {} };
  if (av.M !== undefined && typeof av.M === 'object' && av.M !== null) return { M: repairImage(av.M as Av) };
  if (Array.isArray(av.L)) return { L: av.L.map(repairValue) };
  return v;
};

const repairImage = (image: Av): Av => Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairValue(v)]));

const repairRecord = <R extends { dynamodb?: { NewImage?: Av | undefined } | undefined }>(r: R): R => {
  const image = r.dynamodb?.NewImage;
  return image === undefined ? r : { ...r, dynamodb: { ...r.dynamodb, NewImage: repairImage(image) } };
};

const PROBE = {
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: '1',
    Keys: { pk: { S: 'MSG#probe' }, sk: { S: 'ATTEMPT#000001' } },
    NewImage: { pk: { S: 'MSG#probe' }, sk: { S: 'ATTEMPT#000001' }, truncated: {} },
  },
};

/** True when the projector rejects DynamoDB Local's `{}` empty maps (the workaround is needed). */
export const emptyMapWorkaroundNeeded = (): boolean => {
  const parsed = parseStreamRecord(PROBE);
  return parsed._tag === 'Malformed' && parsed.reason.includes('unmarshall');
};

/** The streams port for the local poller: repairing when needed, the plain client otherwise. */
export const localStreamsPort = (client: DynamoDBStreamsClient): StreamsPort => {
  const port = streamsPortOf(client);
  if (!emptyMapWorkaroundNeeded()) return port;
  return {
    ...port,
    getRecords: async (input) => {
      const out = await port.getRecords(input);
      return out.Records === undefined
        ? out
        : {
            ...out,
            Records: out.Records.map((r) => repairRecord(r as Parameters<typeof repairRecord>[0]) as typeof r),
          };
    },
  };
};

/** The repair itself, unconditionally (for code that unmarshalls images on its own). */
export const withEmptyMapsRepaired = <R>(record: R): R =>
  repairRecord(record as Parameters<typeof repairRecord>[0]) as R;

/** Records read by hand (the coalescing bench) get the same repair. */
export const repairRecords = <R>(records: ReadonlyArray<R>): R[] =>
  emptyMapWorkaroundNeeded()
    ? records.map((r) => repairRecord(r as Parameters<typeof repairRecord>[0]) as R)
    : [...records];
