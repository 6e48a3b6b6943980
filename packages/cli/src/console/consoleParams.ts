import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';

// A page's query parameters go through the CLI's own io-ts codecs (the same `--since`, `--endpoint`
// rules); a bad value is one line saying which parameter and why (shown through the output rule).

export const consoleParam = <A>(name: string, codec: t.Decoder<unknown, A>, value: string | undefined) => {
  if (value === undefined || value === '') return E.right(undefined);
  const r = codec.decode(value);
  return E.isRight(r) ? E.right(r.right) : E.left(`${name}: ${r.left[0]?.message ?? `invalid value "${value}"`}`);
};
