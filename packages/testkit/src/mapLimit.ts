// The one "N at a time" pool of the tests and the bench: results in input order, the first
// rejection rejects the whole (the lanes still running finish their current item).
export const mapLimit = async <A, B>(
  items: Iterable<A>,
  limit: number,
  f: (item: A, index: number) => Promise<B>,
): Promise<B[]> => {
  const all = [...items];
  const out: B[] = new Array(all.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < all.length; i = next++) out[i] = await f(all[i] as A, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, all.length)) }, lane));
  return out;
};
