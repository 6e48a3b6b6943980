import * as t from 'io-ts';

/**
 * A table item's codec: exact (decoding strips what core does not know: pk, sk, index keys, so a
 * decoded item compares cleanly with a folded one), tagged by `type`, in the message's partition.
 */
export const eventItem = <T extends string, P extends t.Props>(type: T, name: string, props: P) =>
  t.exact(t.type({ type: t.literal(type), messageId: t.string, ...props }, name), name);

/** The same with optional fields (absent on items written before they existed, or when unset). */
export const eventItemWith = <T extends string, P extends t.Props, O extends t.Props>(
  type: T,
  name: string,
  props: P,
  optional: O,
) =>
  t.exact(
    t.intersection([t.type({ type: t.literal(type), messageId: t.string, ...props }), t.partial(optional)], name),
    name,
  );
