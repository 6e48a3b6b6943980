// A small seeded PRNG (mulberry32): fault schedules are reproducible from the printed seed.

export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const seedFromEnv = (): number => {
  const s = Number(process.env.DH_RELIABILITY_SEED);
  return Number.isInteger(s) ? s : Date.now() % 1_000_000;
};

export const pick = <A>(random: () => number, items: ReadonlyArray<A>): A =>
  items[Math.floor(random() * items.length)] as A;
