// A replay (the function behind `dh replay projections --all`) in a fresh process, for the
// scale bench: built from the CLI's exported parts, no progress display (so no counting scan
// before it starts), its memory sampled by the CLI's measureReplay. Prints one JSON line.
// Env: DH_REPLAY_ENDPOINT, DH_REPLAY_TABLE, DH_REPLAY_SEGMENTS, DH_REPLAY_CONCURRENCY,
// DH_REPLAY_PAGE_BUDGET (blank: the default). The heap cap, if any, is the parent's flag.
import { measureReplay, projectorTrailOf, storeRepair, tableReader, trailWriter } from '@delivery-history/cli/testing';
import { createStore, makeClients } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

const endpoint = process.env.DH_REPLAY_ENDPOINT ?? '';
const tableName = process.env.DH_REPLAY_TABLE ?? '';
const pageBudget = process.env.DH_REPLAY_PAGE_BUDGET ?? '';
const clients = makeClients({ endpoint });
const store = createStore({ doc: clients.doc, tableName });
const result = await measureReplay(
  {
    reader: tableReader(clients.doc, tableName),
    trailOf: projectorTrailOf,
    repairProjection: storeRepair((id, expected, observed) => store.repairProjection(id, expected, observed)),
    repairTrail: trailWriter({ doc: clients.doc, tableName }),
  },
  {
    dryRun: false,
    segments: Number(process.env.DH_REPLAY_SEGMENTS ?? '4'),
    concurrency: Number(process.env.DH_REPLAY_CONCURRENCY ?? '4'),
    ...(pageBudget !== '' ? { pageBudget: Number(pageBudget) } : {}),
  },
);
clients.destroy();
if (E.isLeft(result)) {
  process.stderr.write(`replay failed: ${result.left}\n`);
  process.exit(1);
}
const { report, ...m } = result.right;
process.stdout.write(
  `${JSON.stringify({ ...m, scanned: report.scanned, drifted: report.drifted, actions: report.actions, durationMs: report.durationMs })}\n`,
);
process.exit(0);
