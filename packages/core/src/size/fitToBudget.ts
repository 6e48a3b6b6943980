import * as E from 'fp-ts/lib/Either.js';
import type { Truncations } from '../codecs/outcome.js';
import { itemSize, utf8Bytes } from './itemSize.js';
import { TRUNCATION_MARKER, truncateUtf8 } from './truncateUtf8.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/**
 * A field that may be shortened. `path` is dotted; a `*` segment matches every key
 * of a map (e.g. `request.headers.*`). `truncate` keeps a prefix and appends the
 * marker; `nullify` replaces the whole value by null (for text that must never be
 * used in part, like a request body a redrive would resend).
 */
export interface FieldSpec {
  readonly path: string;
  readonly mode: 'truncate' | 'nullify';
}

export interface TooLarge {
  readonly _tag: 'TooLarge';
  readonly sizeBytes: number;
  readonly budgetBytes: number;
  readonly message: string;
}

export const TooLarge = (sizeBytes: number, budgetBytes: number): TooLarge => ({
  _tag: 'TooLarge',
  sizeBytes,
  budgetBytes,
  message: `item is ${sizeBytes} bytes after truncating every allowed field; budget ${budgetBytes}`,
});

/** Free-text fields of attempt and state items, in no particular order (the largest is cut first). */
export const DEFAULT_TRUNCATABLE_FIELDS: ReadonlyArray<FieldSpec> = [
  { path: 'request.body', mode: 'nullify' },
  { path: 'deliveryResult.errorDetails.responseSnippet', mode: 'truncate' },
  { path: 'deliveryResult.errorDetails.message', mode: 'truncate' },
  { path: 'deliveryResult.statusText', mode: 'truncate' },
  { path: 'request.headers.*', mode: 'truncate' },
  { path: 'response.headers.*', mode: 'truncate' },
  { path: 'response.snippet', mode: 'truncate' },
];

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Slot {
  readonly path: string;
  readonly parent: Obj;
  readonly key: string;
  readonly mode: FieldSpec['mode'];
  /** The text before any truncation by this call (a marker from an earlier call removed). */
  readonly text: string;
  /** Bytes of `text` still kept. */
  kept: number;
  /** Whether the value now ends with the marker. */
  marked: boolean;
  nulled: boolean;
}

const MARKER_BYTES = utf8Bytes(TRUNCATION_MARKER);

const collect = (
  node: unknown,
  segments: ReadonlyArray<string>,
  prefix: string[],
  out: Array<[string[], Obj, string]>,
) => {
  const [head, ...rest] = segments;
  if (head === undefined || !isObj(node)) return;
  const keys = head === '*' ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) out.push([[...prefix, key], node, key]);
    else collect(node[key], rest, [...prefix, key], out);
  }
};

const slotOf = (
  path: string,
  parent: Obj,
  key: string,
  mode: FieldSpec['mode'],
  value: string,
  known: Truncations,
): Slot => {
  // a value cut by an earlier call keeps its marker; cut its text, not the marker
  const marked = Object.hasOwn(known, path) && value.endsWith(TRUNCATION_MARKER);
  const text = marked ? value.slice(0, -TRUNCATION_MARKER.length) : value;
  return { path, parent, key, mode, text, kept: utf8Bytes(text), marked, nulled: false };
};

const slotsOf = (item: Obj, fields: ReadonlyArray<FieldSpec>, known: Truncations): Slot[] => {
  const slots: Slot[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    const found: Array<[string[], Obj, string]> = [];
    collect(item, field.path.split('.'), [], found);
    for (const [segments, parent, key] of found) {
      const path = segments.join('.');
      const value = parent[key];
      if (typeof value !== 'string' || seen.has(path)) continue;
      seen.add(path);
      slots.push(slotOf(path, parent, key, field.mode, value, known));
    }
  }
  return slots;
};

/** Bytes the slot's value occupies now. */
const currentBytes = (s: Slot): number => (s.nulled ? 1 : s.kept + (s.marked ? MARKER_BYTES : 0));

/** Bytes a `truncated` entry for the slot costs: name, a number of up to 9 digits, map element overhead. */
const entryCost = (s: Slot, truncated: Truncations): number =>
  Object.hasOwn(truncated, s.path) ? 0 : utf8Bytes(s.path) + 7;

/** The most the slot can still save, net of its `truncated` entry. */
const potential = (s: Slot, truncated: Truncations): number => {
  if (s.nulled) return 0;
  const floor = s.mode === 'nullify' ? 1 : MARKER_BYTES;
  return currentBytes(s) - floor - entryCost(s, truncated);
};

const shrink = (s: Slot, excess: number): void => {
  if (s.mode === 'nullify') {
    s.nulled = true;
    setOwn(s.parent, s.key, null);
    return;
  }
  const target = currentBytes(s) - excess - MARKER_BYTES;
  const text = truncateUtf8(s.text, Math.max(0, Math.min(target, s.kept - 1)));
  s.kept = utf8Bytes(text);
  s.marked = true;
  setOwn(s.parent, s.key, text + TRUNCATION_MARKER);
};

/** Sets an own property, even one named `__proto__`. */
const setOwn = (o: Obj, key: string, value: unknown): void => {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
};

const isPlain = (v: unknown): v is Obj => {
  if (!isObj(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Copies plain objects and arrays (prototype kept); other values (Set, bytes, NumberValue) are shared, never mutated. */
const copyPlain = <T>(v: T): T => {
  if (Array.isArray(v)) return v.map(copyPlain) as T;
  if (!isPlain(v)) return v;
  const out = Object.create(Object.getPrototypeOf(v)) as Obj;
  for (const [k, x] of Object.entries(v)) setOwn(out, k, copyPlain(x));
  return out as T;
};

const normalize = (fields: ReadonlyArray<string | FieldSpec>): FieldSpec[] =>
  fields.map((f) => (typeof f === 'string' ? { path: f, mode: 'truncate' } : f));

/**
 * Shorten the largest allowed text fields until `itemSize(item) <= budgetBytes`.
 * Cut strings end with `…[truncated]` and never split a UTF-8 character; the
 * original byte count of each shortened field is recorded under its dotted path in
 * `truncated` (earlier entries are kept). Returns `TooLarge` when it cannot fit.
 * The input is not modified.
 */
export const fitToBudget = <A extends { readonly truncated: Truncations }>(
  item: A,
  budgetBytes: number,
  fields: ReadonlyArray<string | FieldSpec> = DEFAULT_TRUNCATABLE_FIELDS,
): E.Either<TooLarge, A> => {
  if (itemSize(item) <= budgetBytes) return E.right(item);
  const copy = copyPlain(item) as A & Obj;
  const truncated: Record<string, number> = { ...item.truncated };
  (copy as Obj).truncated = truncated;
  const slots = slotsOf(copy, normalize(fields), item.truncated);
  for (let size = itemSize(copy); size > budgetBytes; size = itemSize(copy)) {
    const largest = slots
      .filter((s) => potential(s, truncated) > 0)
      .reduce<Slot | undefined>(
        (best, s) => (best === undefined || currentBytes(s) > currentBytes(best) ? s : best),
        undefined,
      );
    if (largest === undefined) return E.left(TooLarge(size, budgetBytes));
    const cost = entryCost(largest, truncated);
    // a path truncated by an earlier call keeps its first (true) original byte count
    if (!Object.hasOwn(truncated, largest.path)) setOwn(truncated, largest.path, utf8Bytes(largest.text));
    shrink(largest, size - budgetBytes + cost);
  }
  return E.right(copy);
};
