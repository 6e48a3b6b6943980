import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { makeHandler, memoryTelemetry } from '@delivery-history/projector/testing';
import { makeProjectorDeps } from '@delivery-history/projector';
import type { Store } from '@delivery-history/store';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withEmptyMapsRepaired } from '../bench/support/localStreams.js';
import { readWholeStream } from '../bench/support/streamRecords.js';
import { createAndAnswer } from '@delivery-history/testkit/storeSteps';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { checkItems } from './support/itemBudget.js';
import { dueAtOnceStore, requestTo, verifyTable } from './support/rig.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Generated DynamoDB stream records through the projector's Lambda handler, mixed into the
// real stream of a table (attempts written by the store): garbage values, broken envelopes,
// real attempt images mutated so they no longer decode, keys that disagree with the image,
// replays of real records out of order, well-formed attempts of messages that do not exist.
// The handler never throws; a record it cannot use is a batch item failure with a logged
// reason; the real trails end equal to the rebuild (`dh verify`); nothing is over budget.

type AttrMap = Record<string, unknown>;
type Ctx = { t: TestTable; store: Store; real: _Record[]; telemetry: ReturnType<typeof memoryTelemetry> };
const Stream = suite<Ctx>('reliability: generated stream records');

const RUNS = scaled(40);
const MESSAGES = 12;

Stream.before(async (ctx) => {
  ctx.t = await useTestTable('rel-bad-stream');
  ctx.store = dueAtOnceStore(ctx.t);
  for (let i = 0; i < MESSAGES; i++)
    await createAndAnswer(
      ctx.store,
      requestTo(`real-${i}`, 'http://127.0.0.1:9/stream', 5),
      i % 3 === 0 ? [500, 500, 200] : i % 3 === 1 ? [200] : [503, 404],
    );
  if (ctx.t.streamArn === undefined) throw new Error('no stream');
  // DynamoDB Local's `{}` for empty maps written as AWS sends them (see localStreams.ts)
  ctx.real = (await readWholeStream(ctx.t.streams, ctx.t.streamArn)).map(withEmptyMapsRepaired);
  ctx.telemetry = memoryTelemetry();
});
Stream.after(async (ctx) => {
  await ctx.t.drop();
});

const attemptImages = (real: ReadonlyArray<_Record>) =>
  real.filter(
    (r) => String(r.dynamodb?.Keys?.sk?.S ?? '').startsWith('ATTEMPT#') && r.dynamodb?.NewImage !== undefined,
  );

/** Mutations that an ATTEMPT image must not survive (it no longer decodes or its keys disagree). */
const BREAKERS: ReadonlyArray<[string, (item: AttrMap) => AttrMap]> = [
  ['attemptNumber 0', (i) => ({ ...i, attemptNumber: 0 })],
  ['attemptNumber 2.5', (i) => ({ ...i, attemptNumber: 2.5 })],
  ['attemptNumber text', (i) => ({ ...i, attemptNumber: 'one' })],
  ['status WEIRD', (i) => ({ ...i, status: 'WEIRD' })],
  ['deliveryResult null', (i) => ({ ...i, deliveryResult: null })],
  ['completedAt not a time', (i) => ({ ...i, completedAt: 'yesterday' })],
  ['messageId of another message', (i) => ({ ...i, messageId: `${String(i.messageId)}-other` })],
  ['category unknown', (i) => ({ ...i, deliveryResult: { ...(i.deliveryResult as AttrMap), category: 'teapot' } })],
  ['no request', (i) => Object.fromEntries(Object.entries(i).filter(([k]) => k !== 'request'))],
];

let seq = 0;
const nextSeq = () => `9${String(++seq).padStart(20, '0')}`;

const recordArb = (real: ReadonlyArray<_Record>) => {
  const attempts = attemptImages(real);
  const anyReal = fc.constantFrom(...real);
  const anyAttempt = fc.constantFrom(...attempts);
  const garbage = fc.anything({ maxDepth: 3 }).map((v) => ({ kind: 'garbage', record: v as unknown }));
  const envelope = fc
    .record({
      eventName: fc.oneof(fc.constantFrom('INSERT', 'MODIFY', 'REMOVE'), fc.string({ maxLength: 8 })),
      seq: fc.oneof(fc.constant('numeric'), fc.constant('text'), fc.constant('missing')),
      keys: fc.oneof(
        fc.constant({ pk: { S: 'MSG#ghost' }, sk: { S: 'ATTEMPT#000001' } }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue()),
        fc.constant(undefined),
      ),
      image: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue()),
        fc.constant({}),
        fc.constant(undefined),
        fc.constant({ pk: { X: 1 } }),
      ),
    })
    .map((e) => ({
      kind: 'envelope',
      record: {
        eventName: e.eventName,
        dynamodb: {
          ...(e.seq === 'numeric'
            ? { SequenceNumber: nextSeq() }
            : e.seq === 'text'
              ? { SequenceNumber: 'not-a-number' }
              : {}),
          ...(e.keys !== undefined ? { Keys: e.keys } : {}),
          ...(e.image !== undefined ? { NewImage: e.image } : {}),
        },
      } as unknown,
    }));
  const broken = fc.tuple(anyAttempt, fc.constantFrom(...BREAKERS)).map(([r, [name, breakIt]]) => ({
    kind: `broken: ${name}`,
    mustFail: true,
    record: {
      ...r,
      dynamodb: {
        ...r.dynamodb,
        SequenceNumber: nextSeq(),
        NewImage: marshall(breakIt(unmarshall(r.dynamodb?.NewImage as never)), { removeUndefinedValues: true }),
      },
    } as unknown,
  }));
  const wrongKeys = fc.tuple(anyAttempt, anyAttempt).map(([a, b]) => ({
    kind: 'keys of another item',
    mustFail: JSON.stringify(a.dynamodb?.Keys) !== JSON.stringify(b.dynamodb?.Keys),
    record: { ...a, dynamodb: { ...a.dynamodb, SequenceNumber: nextSeq(), Keys: b.dynamodb?.Keys } } as unknown,
  }));
  const replay = anyReal.map((r) => ({ kind: 'replayed real record', record: r as unknown }));
  const ghost = fc.tuple(anyAttempt, fc.nat({ max: 1e6 })).map(([r, n]) => {
    const item = unmarshall(r.dynamodb?.NewImage as never) as AttrMap;
    const id = `ghost-${n}`;
    return {
      kind: 'attempt of a message that does not exist',
      record: {
        ...r,
        dynamodb: {
          ...r.dynamodb,
          SequenceNumber: nextSeq(),
          Keys: { pk: { S: `MSG#${id}` }, sk: r.dynamodb?.Keys?.sk },
          NewImage: marshall({ ...item, pk: `MSG#${id}`, messageId: id }, { removeUndefinedValues: true }),
        },
      } as unknown,
    };
  });
  return fc.oneof(garbage, envelope, broken, wrongKeys, replay, ghost);
};

const seqOf = (r: unknown): string | null => {
  const s = (r as { dynamodb?: { SequenceNumber?: unknown } } | null)?.dynamodb?.SequenceNumber;
  return typeof s === 'string' ? s : null;
};

Stream(
  'every generated record: applied, skipped as a duplicate, or a failure with a reason; trails stay right',
  async (ctx) => {
    const { t, real, telemetry } = ctx;
    const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { telemetry });
    const handler = makeHandler(deps);
    const kinds: Record<string, number> = {};
    let inputs = 0;
    let invocations = 0;
    let reported = 0;
    const missed: string[] = [];
    const unexplained: string[] = [];
    const seed = seedFromEnv();
    const run = await fc.check(
      fc.asyncProperty(
        fc.array(recordArb(real), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: real.length }),
        async (generated, cut) => {
          invocations++;
          // a slice of the real stream, in order, with the generated records spread through it
          const batch: unknown[] = real.slice(cut, cut + 10);
          for (const [i, g] of generated.entries()) {
            batch.splice(Math.min(batch.length, i * 2), 0, g.record);
            kinds[g.kind] = (kinds[g.kind] ?? 0) + 1;
          }
          inputs += generated.length;
          const before = telemetry.entries.length;
          const response = await handler({ Records: batch } as Parameters<typeof handler>[0]);
          const ids = new Set(batch.map(seqOf).filter((s): s is string => s !== null));
          const failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
          for (const g of generated) {
            const s = seqOf(g.record);
            if ((g as { mustFail?: boolean }).mustFail === true && s !== null && !failedIds.has(s))
              missed.push(`${g.kind} ${s}`);
          }
          for (const f of response.batchItemFailures) {
            reported++;
            assert.ok(ids.has(f.itemIdentifier), `failure ${f.itemIdentifier} names a record of the batch`);
            const logged = telemetry.entries.slice(before).some((e) => {
              const a = e.attributes;
              // error: malformed; warn: a message that could not be applied (e.g. MissingAttempts)
              return (
                (e.level === 'error' || e.level === 'warn') &&
                (a.sequenceNumber === f.itemIdentifier ||
                  (Array.isArray(a.sequenceNumbers) && a.sequenceNumbers.includes(f.itemIdentifier)))
              );
            });
            if (!logged && unexplained.length < 5) unexplained.push(f.itemIdentifier);
          }
        },
      ),
      { seed, numRuns: RUNS, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: false, endOnFailure: true },
    );
    // the whole real stream once more, in order: whatever the garbage did, the trails converge
    const final = await handler({ Records: real } as Parameters<typeof handler>[0]);
    const verify = await verifyTable(t);
    const budget = await checkItems(t.doc, t.tableName, null);

    printSummary({
      file: 'badInputStream',
      operationsSent: invocations + 1,
      faultsInjected: 0,
      inputsTried: inputs,
      lost: verify.report.checks['audit-trail-behind']?.failed ?? 0,
      doubleCounted: verify.report.checks['audit-trail']?.failed ?? 0,
      details: {
        seed,
        'property runs': `${run.numRuns}${run.interrupted ? ' (time limit reached)' : ''}`,
        'generated by kind': kinds,
        'real records': real.length,
        'failures reported': reported,
        'failures without a logged reason': unexplained.length,
        'undecodable records not reported': missed.length,
        'malformed (metric)': telemetry.counts.MalformedRecords ?? 0,
        'duplicates skipped (metric)': telemetry.counts.DuplicatesSkipped ?? 0,
        'largest item bytes': budget.largest,
        'items over budget': budget.overBudget.length,
        verify: { ok: verify.report.ok, messages: verify.report.messages },
      },
    });

    assert.is(
      run.failed,
      false,
      `property failed: ${run.counterexample === null ? String(run.errorInstance) : JSON.stringify(run.counterexample).slice(0, 1500)}`,
    );
    assert.equal(unexplained, [], 'every reported failure has a logged reason');
    assert.equal(missed, [], 'every record that cannot be decoded is reported');
    assert.equal(final.batchItemFailures, [], 'the real stream alone applies cleanly');
    assert.equal(budget.overBudget, [], 'no item over budget');
    assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
    assert.is(verify.report.messages, MESSAGES);
  },
);

Stream.run();
