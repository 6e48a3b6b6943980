import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AttemptItem, decodeWith, RedriveItem, StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import { CorruptItem, type ProjectorError } from '../errors.js';
import { ATTEMPT_PREFIX, attemptSk, auditKey, messagePk, REDRIVE_PREFIX, STATE_SK } from '../keys.js';
import { AuditHeadItem, headItem, segmentItem } from '../segments/auditItems.js';
import type { AppendStep } from '../segments/planAppend.js';
import { callDynamo, isConditionFailure } from './awsErrors.js';
import type { ProjectorDeps } from './deps.js';

type Io = Pick<ProjectorDeps, 'doc' | 'tableName' | 'retry' | 'random' | 'sleep'>;
type Raw = Record<string, unknown>;

// ---------------------------------------------------------------------------
// reads: all strongly consistent, so a read after a stream record sees that record's write
// ---------------------------------------------------------------------------

const decodeRaw =
  <A>(codec: t.Type<A, unknown, unknown>, messageId: string) =>
  (raw: Raw): E.Either<ProjectorError, A> =>
    pipe(
      decodeWith(codec, raw),
      E.mapLeft((e) => CorruptItem(messageId, String(raw.sk), e.message)),
    );

const queryAll = (
  io: Io,
  op: string,
  messageId: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): TE.TaskEither<ProjectorError, Raw[]> => {
  const page =
    (start: Raw | undefined, acc: Raw[]): TE.TaskEither<ProjectorError, Raw[]> =>
    () =>
      callDynamo(io, op, messageId, () =>
        io.doc.send(
          new QueryCommand({
            ...input,
            TableName: io.tableName,
            ConsistentRead: true,
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      )().then((r) => {
        if (E.isLeft(r)) return r;
        const items = acc.concat((r.right.Items ?? []) as Raw[]);
        return r.right.LastEvaluatedKey === undefined ? E.right(items) : page(r.right.LastEvaluatedKey, items)();
      });
  return page(undefined, []);
};

const decodeAll =
  <A>(codec: t.Type<A, unknown, unknown>, messageId: string) =>
  (raws: Raw[]) =>
    pipe(
      raws,
      E.traverseArray(decodeRaw(codec, messageId)),
      E.map((xs) => [...xs]),
      TE.fromEither,
    );

/** The head segment (summary and high-water mark), or null when the message has no trail. */
export const readHead = (io: Io, messageId: string): TE.TaskEither<ProjectorError, AuditHeadItem | null> =>
  pipe(
    callDynamo(io, 'readAuditHead', messageId, () =>
      io.doc.send(new GetCommand({ TableName: io.tableName, Key: auditKey(messageId, 0), ConsistentRead: true })),
    ),
    TE.chain((r) =>
      r.Item === undefined ? TE.right(null) : TE.fromEither(decodeRaw(AuditHeadItem, messageId)(r.Item)),
    ),
  );

/** Every redrive of the message (a handful at most: each needs a final FAILED message). */
export const readRedrives = (io: Io, messageId: string): TE.TaskEither<ProjectorError, RedriveItem[]> =>
  pipe(
    queryAll(io, 'readRedrives', messageId, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': REDRIVE_PREFIX },
    }),
    TE.chain(decodeAll(RedriveItem, messageId)),
  );

/** Attempts `from..to` (inclusive), in order; `to` omitted: to the last one. */
export const readAttempts = (
  io: Io,
  messageId: string,
  from: number,
  to?: number,
): TE.TaskEither<ProjectorError, AttemptItem[]> =>
  pipe(
    queryAll(io, 'readAttempts', messageId, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': messagePk(messageId),
        ':from': attemptSk(from),
        ':to': to === undefined ? `${ATTEMPT_PREFIX}~` : attemptSk(to),
      },
    }),
    TE.chain(decodeAll(AttemptItem, messageId)),
  );

export const readState = (io: Io, messageId: string): TE.TaskEither<ProjectorError, StateItem | null> =>
  pipe(
    callDynamo(io, 'readState', messageId, () =>
      io.doc.send(
        new GetCommand({
          TableName: io.tableName,
          Key: { pk: messagePk(messageId), sk: STATE_SK },
          ConsistentRead: true,
        }),
      ),
    ),
    TE.chain((r) => (r.Item === undefined ? TE.right(null) : TE.fromEither(decodeRaw(StateItem, messageId)(r.Item)))),
  );

// ---------------------------------------------------------------------------
// writes: one step = one single-item write or one transaction, guarded by the head's
// high-water mark
// ---------------------------------------------------------------------------

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type PutAction = { readonly Put: NonNullable<TxItem['Put']> };
type UpdateAction = { readonly Update: NonNullable<TxItem['Update']> };
type Action = PutAction | UpdateAction;

const SUMMARY_NAMES = {
  '#segments': 'segments',
  '#through': 'through',
  '#redrives': 'redrives',
  '#entryCount': 'entryCount',
  '#tailBytes': 'tailBytes',
  '#updatedAt': 'updatedAt',
};

const headAction = (io: Io, messageId: string, step: AppendStep): Action => {
  if (step.expect === null) {
    return {
      Put: {
        TableName: io.tableName,
        Item: headItem(messageId, step.headEntries, step.summary),
        // a concurrent invocation may have created the trail meanwhile: then re-read
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
  const s = step.summary;
  const append = step.headEntries.length > 0;
  return {
    Update: {
      TableName: io.tableName,
      Key: auditKey(messageId, 0),
      UpdateExpression: `SET #segments = :segments, #through = :through, #redrives = :redrives, #entryCount = :entryCount, #tailBytes = :tailBytes, #updatedAt = :updatedAt${append ? ', #entries = list_append(#entries, :entries)' : ''}`,
      // the high-water mark: only the writer that read this exact position may append after
      // it, so concurrent invocations, redeliveries and replays cannot apply an entry twice
      ConditionExpression: '#through = :expectThrough AND #redrives = :expectRedrives',
      ExpressionAttributeNames: { ...SUMMARY_NAMES, ...(append ? { '#entries': 'entries' } : {}) },
      ExpressionAttributeValues: {
        ':segments': s.segments,
        ':through': s.through,
        ':redrives': s.redrives,
        ':entryCount': s.entryCount,
        ':tailBytes': s.tailBytes,
        ':updatedAt': s.updatedAt,
        ':expectThrough': step.expect.through,
        ':expectRedrives': step.expect.redrives,
        ...(append ? { ':entries': step.headEntries } : {}),
      },
    },
  };
};

const tailAction = (io: Io, messageId: string, segment: number, entries: AppendStep['headEntries']): Action => ({
  Update: {
    TableName: io.tableName,
    Key: auditKey(messageId, segment),
    UpdateExpression:
      'SET #entries = list_append(if_not_exists(#entries, :empty), :entries), #type = :type, messageId = :messageId, #segment = :segment',
    ExpressionAttributeNames: { '#entries': 'entries', '#type': 'type', '#segment': 'segment' },
    ExpressionAttributeValues: {
      ':empty': [],
      ':entries': entries,
      ':type': 'AUDIT',
      ':messageId': messageId,
      ':segment': segment,
    },
  },
});

export const stepActions = (io: Io, messageId: string, step: AppendStep): Action[] => [
  headAction(io, messageId, step),
  ...(step.tail !== null ? [tailAction(io, messageId, step.tail.segment, step.tail.entries)] : []),
  ...step.newSegments.map((s) => ({
    Put: { TableName: io.tableName, Item: segmentItem(messageId, s.segment, s.entries) },
  })),
];

const send = (io: Io, actions: Action[]): Promise<unknown> => {
  const [only] = actions;
  if (actions.length === 1 && only !== undefined) {
    return 'Put' in only ? io.doc.send(new PutCommand(only.Put)) : io.doc.send(new UpdateCommand(only.Update));
  }
  return io.doc.send(new TransactWriteCommand({ TransactItems: actions }));
};

/**
 * Writes one step. 'moved': the head was not at `step.expect` (someone else applied first):
 * the caller re-reads and plans again. Throttling/transient failures are retried first; a
 * retry after an ambiguous failure that did commit also comes back as 'moved'.
 */
export const writeStep = (
  io: Io,
  messageId: string,
  step: AppendStep,
): TE.TaskEither<ProjectorError, 'written' | 'moved'> => {
  const actions = stepActions(io, messageId, step);
  const op = actions.length === 1 ? 'appendAudit' : 'appendAuditTransaction';
  return callDynamo(io, op, messageId, async () => {
    try {
      await send(io, actions);
      return 'written' as const;
    } catch (e) {
      if (isConditionFailure(e)) return 'moved' as const;
      throw e;
    }
  });
};
