// Counts the names each package's index exports (values and types), as the type checker sees
// them, so the "export what another package's source calls" budget (issue 24: about 200 for the
// public indexes together) can be measured before and after a change:
//   node --import tsx scripts/countExports.ts [--json]
// The testing subpaths (`<pkg>/testing`) are the tests' door and are listed apart; testkit is
// private (tests and the bench only) and is listed apart too.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages')).sort();
const entries = packages.flatMap((pkg) =>
  (['index', 'testing'] as const)
    .map((door) => ({ pkg, door, file: join(root, 'packages', pkg, 'src', `${door}.ts`) }))
    .filter((e) => existsSync(e.file)),
);

const program = ts.createProgram(
  entries.map((e) => e.file),
  { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true },
);
const checker = program.getTypeChecker();
const namesOf = (file: string): string[] => {
  const source = program.getSourceFile(file);
  const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  return symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((s) => s.name);
};

const rows = entries.map((e) => ({ ...e, names: namesOf(e.file).length }));
const sum = (pick: (r: (typeof rows)[number]) => boolean): number => rows.filter(pick).reduce((n, r) => n + r.names, 0);
const publicTotal = sum((r) => r.door === 'index' && r.pkg !== 'testkit');

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ publicTotal, rows: rows.map(({ file: _, ...r }) => r) }));
} else {
  for (const r of rows) console.log(`${`${r.pkg}/${r.door}`.padEnd(20)} ${String(r.names).padStart(4)}`);
  console.log(`public indexes (packages/*/src/index.ts, testkit apart): ${publicTotal}`);
  console.log(`testkit (private): ${sum((r) => r.pkg === 'testkit')}`);
  console.log(`testing doors: ${sum((r) => r.door === 'testing')}`);
}
