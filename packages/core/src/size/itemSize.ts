// ---------------------------------------------------------------------------
// DynamoDB item size by the AWS rules ("DynamoDB item sizes and formats"):
// attribute names (UTF-8) + values; strings UTF-8 bytes; binary raw bytes;
// numbers 1 byte per 2 significant digits + 1; booleans and null 1 byte;
// lists and maps 3 bytes + 1 per element + contents (map keys counted).
// Values are the JS values the DocumentClient marshals (undefined is skipped,
// as with `removeUndefinedValues: true`).
// ---------------------------------------------------------------------------

/** 400 KB, the DynamoDB item size limit. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

interface Decimal {
  readonly negative: boolean;
  /** Significant digits, no leading or trailing zeros ('' for zero). */
  readonly digits: string;
  /** Position of the decimal point counted from the left of `digits` (may be < 0 or > length). */
  readonly point: number;
}

/** A decimal string (`-12.5`, `1e-7`, `0.050`) as sign, significant digits and point position. */
export const parseDecimal = (decimal: string): Decimal => {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(decimal.trim());
  const [, sign = '', int = '', frac = '', exp = '0'] = m ?? [];
  let digits = int + frac;
  let point = int.length + Number(exp);
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  return { negative: sign === '-' && digits !== '', digits, point };
};

/**
 * Size of a number value. DynamoDB stores base-100 digit pairs aligned on the
 * decimal point (1.5 is 01|50, two pairs) plus one exponent byte, plus one more
 * byte for a negative number; zero is 1 byte. This is the AWS rule "1 byte per two
 * significant digits + 1" made exact (checked against DynamoDB Local, see
 * test/sizeBoundary.test.ts).
 */
export const numberSize = (n: number | bigint | string): number => {
  const { negative, digits, point } = parseDecimal(typeof n === 'string' ? n : n.toString());
  if (digits === '') return 1;
  const aligned = (point % 2 !== 0 ? 1 : 0) + digits.length;
  return Math.ceil(aligned / 2) + 1 + (negative ? 1 : 0);
};

/** lib-dynamodb's `NumberValue` (a number kept as a string), recognised without importing the SDK. */
const isNumberValue = (v: object): v is { value: string } =>
  v.constructor?.name === 'NumberValue' && typeof (v as { value?: unknown }).value === 'string';

const isBinary = (v: unknown): v is ArrayBufferView | ArrayBuffer => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;

const setSize = (s: ReadonlySet<unknown>): number => {
  let size = 0;
  for (const v of s) size += attributeValueSize(v);
  return size;
};

const containerSize = (entries: ReadonlyArray<readonly [string | null, unknown]>): number => {
  let size = 3;
  for (const [name, v] of entries) {
    if (v === undefined) continue;
    size += 1 + (name === null ? 0 : utf8Bytes(name)) + attributeValueSize(v);
  }
  return size;
};

/** Size of one attribute value (without its name). */
export const attributeValueSize = (v: unknown): number => {
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return utf8Bytes(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(v);
  if (isBinary(v)) return v.byteLength;
  if (v instanceof Set) return setSize(v);
  if (typeof v === 'object' && isNumberValue(v)) return numberSize(v.value);
  if (Array.isArray(v)) return containerSize(v.map((e) => [null, e] as const));
  if (typeof v === 'object') return containerSize(Object.entries(v as Record<string, unknown>));
  return 0;
};

/** Size in bytes of a whole item (top-level attribute names + values). */
export const itemSize = (item: Readonly<Record<string, unknown>>): number => {
  let size = 0;
  for (const [name, v] of Object.entries(item)) {
    if (v === undefined) continue;
    size += utf8Bytes(name) + attributeValueSize(v);
  }
  return size;
};
