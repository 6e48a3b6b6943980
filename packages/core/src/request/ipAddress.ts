// ---------------------------------------------------------------------------
// IP literals as bytes: the guard compares prefixes on bytes, so every textual
// form (compressed IPv6, embedded dotted quads, zone ids) is judged the same way.
// ---------------------------------------------------------------------------

export type IpAddress = { readonly family: 4 | 6; readonly bytes: Uint8Array };

// node:net's isIPv4 in core's pure terms: four decimal octets 0-255, no leading zeros (which
// some resolvers read as octal), nothing else
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

const parseV4 = (s: string): Uint8Array | undefined => {
  if (!IPV4.test(s)) return undefined;
  return Uint8Array.from(s.split('.').map(Number));
};

const hextets = (part: string): number[] | undefined => {
  if (part === '') return [];
  const out: number[] = [];
  for (const h of part.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
    out.push(Number.parseInt(h, 16));
  }
  return out;
};

/** Splits a trailing dotted quad (`::ffff:1.2.3.4`) into two hextets. */
const withEmbeddedV4 = (s: string): string | undefined => {
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (!tail.includes('.')) return s;
  const v4 = parseV4(tail);
  if (v4 === undefined) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = v4;
  return `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
};

const parseV6 = (input: string): Uint8Array | undefined => {
  const noZone = input.split('%')[0] ?? '';
  // the checks below are what node:net's isIPv6 checked: hextets, one `::`, eight words,
  // a dotted quad only as the last two
  if (!noZone.includes(':')) return undefined;
  const s = withEmbeddedV4(noZone);
  if (s === undefined) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? '');
  const tail = halves.length === 2 ? hextets(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const words = [...head, ...Array<number>(fill).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
};

/** Parses an IPv4 or IPv6 literal (brackets and zone ids allowed); undefined when not one. */
export const parseIp = (input: string): IpAddress | undefined => {
  const s = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const v4 = parseV4(s);
  if (v4 !== undefined) return { family: 4, bytes: v4 };
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { family: 6, bytes: v6 };
};

export const formatIp = (ip: IpAddress): string => {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push((((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0)).toString(16));
  return words.join(':');
};

/** True when the first `bits` bits of `a` and `b` are equal. */
export const samePrefix = (a: Uint8Array, b: Uint8Array, bits: number): boolean => {
  const full = Math.floor(bits / 8);
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[full] ?? 0) & mask) === ((b[full] ?? 0) & mask);
};
