import { suite, type Test } from 'uvu';
import { type TestTable, useTestTable } from './testTable.js';

// The set-up most connected test files repeat: one resource in the suite's context, opened
// before the first test and closed after the last. A file's own set-up adds hooks after these.

/** A suite whose context holds `open()`'s resource at `key`, closed by `close` after the tests. */
export const suiteWith = <K extends string, R, C extends object = object>(
  name: string,
  key: K,
  open: () => Promise<R>,
  close: (resource: R) => Promise<void>,
): Test<Record<K, R> & C> => {
  const s = suite<Record<K, R> & C>(name);
  s.before(async (ctx) => {
    (ctx as Record<K, R>)[key] = await open();
  });
  s.after(async (ctx) => {
    await close(ctx[key]);
  });
  return s;
};

/** A suite whose context `t` is a fresh test table (`useTestTable(label)`), dropped after. */
export const tableSuite = <C extends object = object>(name: string, label: string): Test<{ t: TestTable } & C> =>
  suiteWith<'t', TestTable, C>(
    name,
    't',
    () => useTestTable(label),
    (t) => t.drop(),
  );
