// The Lambda filter pattern for the projector's stream: inserts of attempt and redrive items.
// debt: the projector package is to export this pattern; until it does, infra keeps it here.
export const PROJECTOR_STREAM_FILTER: Record<string, unknown> = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: ['ATTEMPT', 'REDRIVE'] } } },
};
