// The whole-table scan behind `dh replay projections --all` and `dh verify`: every message
// (a partition with a STATE) comes back exactly once, whole or marked for a whole read when a
// page boundary cuts it, whatever the page size and the number of segments.
import { tableReader } from '@delivery-history/cli/testing';
import type { StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';

type ScannedMessage = StoreResult<'scanMessages'>['items'][number];
type Ctx = { t: TestTable };

/** A read that must succeed here (its failure fails the test with the store's message). */
const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const S = suite<Ctx>('tableReader.scanMessages');

// small: 2 items; big: 41 items (spans many pages); orphan: attempts without STATE (not a
// message); a projector checkpoint (not a message partition at all)
const SIZES: Record<string, number> = { 'small-1': 1, 'small-2': 1, 'small-3': 1, big: 40, mid: 6 };

const itemsOf = (id: string, attempts: number) => [
  { pk: `MSG#${id}`, sk: 'STATE', messageId: id },
  ...Array.from({ length: attempts }, (_, i) => ({
    pk: `MSG#${id}`,
    sk: `ATTEMPT#${String(i + 1).padStart(6, '0')}`,
    messageId: id,
  })),
];

S.before(async (ctx) => {
  ctx.t = await useTestTable('cli-scan');
  const all = [
    ...Object.entries(SIZES).flatMap(([id, n]) => itemsOf(id, n)),
    { pk: 'MSG#orphan', sk: 'ATTEMPT#000001', messageId: 'orphan' },
    { pk: 'MSG#orphan', sk: 'ATTEMPT#000002', messageId: 'orphan' },
    { pk: 'PROJECTOR#arn', sk: 'SHARD#1', type: 'CHECKPOINT' },
  ];
  await writeItems(ctx.t.doc, ctx.t.tableName, all);
});
S.after(async ({ t }) => {
  await t.drop();
});

for (const [segments, limit] of [
  [1, undefined],
  [1, 1],
  [1, 3],
  [1, 7],
  [3, 2],
  [4, 5],
] as const) {
  S(`${segments} segment(s), pages of ${limit ?? 'default'} items: each message once, whole`, async ({ t }) => {
    const reader = tableReader(t.doc, t.tableName);
    const seen = new Map<string, number>();
    let cutCount = 0;
    for (let segment = 0; segment < segments; segment++) {
      let cursor: string | null = null;
      do {
        const page: { items: ReadonlyArray<ScannedMessage>; cursor: string | null } = right(
          await reader.scanMessages(segment, segments, cursor, limit)(),
        );
        for (const m of page.items) {
          seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
          if (m.items === null) {
            cutCount++;
            continue;
          }
          // handed out whole: exactly the partition, in sort-key order
          assert.equal(
            m.items.map((i) => i.sk),
            right(await reader.readPartition(m.messageId)()).map((i) => i.sk),
            `${m.messageId} whole`,
          );
        }
        cursor = page.cursor;
      } while (cursor !== null);
    }
    for (const id of Object.keys(SIZES)) assert.is(seen.get(id), 1, `${id} handed out once`);
    // the orphan may only come back as cut (its reader then finds no STATE)
    assert.ok((seen.get('orphan') ?? 0) <= 1);
    assert.is([...seen.keys()].filter((id) => !(id in SIZES) && id !== 'orphan').length, 0, 'nothing but messages');
    if (limit !== undefined && limit < 40) assert.ok(cutCount > 0, 'the big message was cut by a page boundary');
  });
}

S.run();
