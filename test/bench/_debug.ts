import { startDynamoLocal } from '@delivery-history/store';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { makeBenchContext } from './support/context.js';
import { shapeMessage } from './support/fixtures.js';
import { bulkLoad } from './support/loader.js';
import { repairRecords } from "./support/localStreams.js";
import { readWholeStream } from './support/streamRecords.js';

const d = await startDynamoLocal();
try {
  const ctx = makeBenchContext(d.endpoint, console.log);
  const t = await ctx.table('dbg');
  await bulkLoad(t.doc, t.tableName, { from: 0, to: 3 }, (i) => shapeMessage(`m-${i}`, new Date(), [500, 200], { withAudit: false }).items);
  const recs = repairRecords(await readWholeStream(t.streams, t.streamArn));
  console.log(recs.length, JSON.stringify(recs[1]?.dynamodb?.NewImage));
  const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName });
  const r = await projectMessages(deps, recs);
  console.log(JSON.stringify(r, null, 1).slice(0, 3000));
  await t.drop();
} finally {
  await d.stop();
}
