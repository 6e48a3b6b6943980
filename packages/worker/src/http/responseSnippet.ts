// ---------------------------------------------------------------------------
// Keeps the first `limit` bytes of a body; everything after is only counted.
// ---------------------------------------------------------------------------

export type SnippetBuffer = {
  /** Adds a chunk; returns the total bytes seen so far. */
  push(chunk: Uint8Array): number;
  readonly bytes: number;
  /** The kept prefix as UTF-8 text, never ending in half a character. */
  text(): string;
};

/** Index after the last complete UTF-8 sequence of `buf`. */
const completeUtf8End = (buf: Uint8Array): number => {
  const end = buf.length;
  for (let i = 1; i <= Math.min(4, end); i++) {
    const b = buf[end - i] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > i ? end - i : end;
  }
  return end;
};

export const snippetBuffer = (limit: number): SnippetBuffer => {
  const kept = Buffer.alloc(Math.max(0, limit));
  let used = 0;
  let total = 0;
  return {
    push: (chunk) => {
      total += chunk.length;
      if (used < kept.length) {
        const take = Math.min(kept.length - used, chunk.length);
        kept.set(chunk.subarray(0, take), used);
        used += take;
      }
      return total;
    },
    get bytes() {
      return total;
    },
    text: () => {
      const view = kept.subarray(0, used);
      return view.subarray(0, completeUtf8End(view)).toString('utf8');
    },
  };
};
