import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

// ---------------------------------------------------------------------------
// The stored snippet of a response body: its first `limit` bytes as text. A gzip, deflate
// or br body is decoded first, by a streaming decoder that is destroyed as soon as `limit`
// decoded bytes are in, so a decompression bomb costs one output chunk, never its size. A
// body that is binary (NUL, or invalid in its charset), that does not decode, or that uses
// a coding we do not know becomes a marker, `[binary, N bytes, <content-type>, <encoding>]`,
// never U+FFFD noise. Text with control characters stays text: it is evidence, stored as
// received, and every face shows it through the output rule.
// ---------------------------------------------------------------------------

export type BodySnippet = {
  /** Adds a chunk as read from the wire; returns the total wire bytes seen so far. */
  push(chunk: Uint8Array): number;
  /** Wire bytes seen (before any decoding). */
  readonly bytes: number;
  /** The snippet: decoded text, or the binary marker. Never rejects. */
  text(): Promise<string>;
};

type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

const CODINGS: Readonly<Record<string, Coding>> = {
  '': 'identity',
  identity: 'identity',
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/;
const CODING_LIST = /^[a-z0-9!#$&^_.+-]{1,32}(?:, ?[a-z0-9!#$&^_.+-]{1,32}){0,3}$/;

const headerOf = (headers: Readonly<Record<string, string>>, name: string): string =>
  (Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '').trim();

/** The media type for the marker (receiver text: only a well-formed token/token is repeated). */
const mediaTypeOf = (contentType: string): string => {
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media === '') return 'no content-type';
  return MEDIA_TYPE.test(media) ? media : 'unrecognised content-type';
};

const codingLabel = (encoding: string): string => {
  const e = encoding.toLowerCase();
  if (e === '') return 'identity';
  return CODING_LIST.test(e) ? e : 'unrecognised encoding';
};

const charsetOf = (contentType: string): string =>
  /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?/i.exec(contentType)?.[1] ?? 'utf-8';

const strictDecoder = (charset: string): TextDecoder => {
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch {
    return new TextDecoder('utf-8', { fatal: true });
  }
};

/** Text when the bytes are text in their charset (a cut-off last character is dropped), else null. */
const asText = (bytes: Uint8Array, contentType: string): string | null => {
  try {
    // stream: an incomplete sequence at the cut is held back, not an error
    const text = strictDecoder(charsetOf(contentType)).decode(bytes, { stream: true });
    return text.includes('\u0000') ? null : text;
  } catch {
    return null;
  }
};

/** zlib-wrapped deflate (RFC 1950, as HTTP says) or raw deflate (what some servers send). */
const isZlibHeader = (chunk: Uint8Array): boolean => {
  const cmf = chunk[0] ?? 0;
  const flg = chunk[1];
  return (cmf & 0x0f) === 8 && (flg === undefined || ((cmf << 8) | flg) % 31 === 0);
};

const decoderFor = (coding: Exclude<Coding, 'identity'>, first: Uint8Array, chunkSize: number): Transform => {
  // a body cut at the read cap ends mid-stream: flush what decodes instead of failing
  const zlib = { chunkSize, finishFlush: constants.Z_SYNC_FLUSH };
  if (coding === 'gzip') return createGunzip(zlib);
  if (coding === 'deflate') return isZlibHeader(first) ? createInflate(zlib) : createInflateRaw(zlib);
  return createBrotliDecompress({ chunkSize, finishFlush: constants.BROTLI_OPERATION_FLUSH });
};

/** The first `limit` decoded bytes, and whether decoding failed before giving any. */
type Sink = { readonly out: Buffer; used: number; failed: boolean };

/** A streaming decoder feeding `sink`, destroyed once `limit` bytes are in (a bomb stops there). */
const startDecoder = (coding: Exclude<Coding, 'identity'>, first: Uint8Array, sink: Sink) => {
  // one output chunk is the most a push can add on top of the snippet
  const chunkSize = Math.max(1024, Math.min(16 * 1024, sink.out.length));
  const decoder = decoderFor(coding, first, chunkSize);
  const closed = new Promise<void>((resolve) => decoder.once('close', () => resolve()));
  decoder.on('data', (d: Buffer) => {
    const take = Math.min(sink.out.length - sink.used, d.length);
    d.copy(sink.out, sink.used, 0, take);
    sink.used += take;
    if (sink.used >= sink.out.length) decoder.destroy();
  });
  decoder.on('error', () => {
    sink.failed = true;
  });
  return { decoder, closed };
};

export const bodySnippet = (limit: number, headers: Readonly<Record<string, string>>): BodySnippet => {
  const contentType = headerOf(headers, 'content-type');
  const encoding = headerOf(headers, 'content-encoding');
  const key = encoding.toLowerCase();
  // own keys only: a receiver's `constructor` is not a coding
  const coding = Object.hasOwn(CODINGS, key) ? CODINGS[key] : undefined;
  const sink: Sink = { out: Buffer.alloc(Math.max(0, limit)), used: 0, failed: false };
  let total = 0;
  let stream: ReturnType<typeof startDecoder> | null = null;
  const marker = (): string => `[binary, ${total} bytes, ${mediaTypeOf(contentType)}, ${codingLabel(encoding)}]`;
  const keep = (chunk: Uint8Array): void => {
    const take = Math.min(sink.out.length - sink.used, chunk.length);
    sink.out.set(chunk.subarray(0, take), sink.used);
    sink.used += take;
  };
  return {
    push: (chunk) => {
      total += chunk.length;
      if (coding === undefined || sink.used >= sink.out.length || chunk.length === 0) return total;
      if (coding === 'identity') keep(chunk);
      else {
        stream ??= startDecoder(coding, chunk, sink);
        if (!stream.decoder.destroyed) stream.decoder.write(chunk);
      }
      return total;
    },
    get bytes() {
      return total;
    },
    text: async () => {
      if (coding === undefined) return marker();
      if (stream !== null) {
        if (!stream.decoder.destroyed) stream.decoder.end();
        await stream.closed;
      }
      if (total === 0) return '';
      if (sink.failed && sink.used === 0) return marker();
      return asText(sink.out.subarray(0, sink.used), contentType) ?? marker();
    },
  };
};
