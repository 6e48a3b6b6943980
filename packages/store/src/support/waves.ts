import * as A from 'fp-ts/lib/Array.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';

/** Splits `xs` into chunks of `n` (the last may be shorter). */
export const chunks = <A>(xs: readonly A[], n: number): A[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * `f` over `xs`, `inFlight` calls at a time (waves: one wave's calls in parallel, the waves in
 * order); the first failure is the result.
 */
export const traverseInWaves = <A, B, E>(
  xs: readonly A[],
  inFlight: number,
  f: (a: A) => TE.TaskEither<E, B>,
): TE.TaskEither<E, B[]> =>
  pipe(
    chunks(xs, Math.max(1, inFlight)),
    A.traverse(TE.ApplicativeSeq)((wave) => pipe(wave, A.traverse(TE.ApplicativePar)(f))),
    TE.map((waves) => waves.flat()),
  );
