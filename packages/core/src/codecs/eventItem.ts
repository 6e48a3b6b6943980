import * as t from 'io-ts';

/**
 * A table item's codec: exact (decoding strips what core does not know: pk, sk, index keys, so a
 * decoded item compares cleanly with a folded one), tagged by `type`, in the message's partition.
 */
export const eventItem = <T extends string, P extends t.Props>(type: T, name: string, props: P) =>
  t.exact(t.type({ type: t.literal(type), messageId: t.string, ...props }, name), name);
