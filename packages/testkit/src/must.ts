import * as E from 'fp-ts/lib/Either.js';

/** Runs a TaskEither and returns its Right; a Left fails the test with its message (after `what`). */
export const must = async <A>(te: () => Promise<E.Either<{ message: string }, A>>, what?: string): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new Error(what === undefined ? r.left.message : `${what}: ${r.left.message}`);
  return r.right;
};
