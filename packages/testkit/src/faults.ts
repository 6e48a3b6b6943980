// Fault injection for DynamoDB: an SDK middleware on the real client (no mocks). Each
// planned fault is consumed by the next matching request, in order; then requests pass.
// Faults that fake a response do so at the HTTP level, so the SDK's own deserializer turns
// them into the exceptions AWS would raise (name, $metadata, CancellationReasons).
import { Readable } from 'node:stream';
import type { Clients } from '@delivery-history/store/testing';

/** The SDK client the store's clients are built on (the middleware goes on it). */
type DynamoDBClient = Clients['client'];

export type Fault =
  /** 400 ThrottlingException (the request never reaches DynamoDB). */
  | 'throttle'
  /** 400 ProvisionedThroughputExceededException. */
  | 'provisioned'
  /** 500 InternalServerError. */
  | 'internal'
  /** 503 ServiceUnavailable. */
  | 'unavailable'
  /** A connection reset before any byte was sent (ECONNRESET). */
  | 'reset'
  /** The request goes through and commits, THEN the client sees a timeout. */
  | 'timeoutAfterCommit'
  /** TransactionCanceledException with ThrottlingError on every item. */
  | 'txThrottle'
  /** TransactionCanceledException with TransactionConflict on the last item. */
  | 'txConflict'
  /** 400 ValidationException about item size. */
  | 'tooLarge';

export type FaultController = {
  /** Queue faults for requests of `command` (`TransactWriteItems`, `UpdateItem`, ...; '*' = any). */
  plan(command: string, faults: ReadonlyArray<Fault>): void;
  /** Requests seen for `command` since install or the last clear() (faulted or not). */
  calls(command: string): number;
  /** Faults injected so far, in order. */
  readonly injected: ReadonlyArray<{ command: string; fault: Fault }>;
  /** Faults still queued. */
  pending(): number;
  /** Drops queued faults and resets the counters. */
  clear(): void;
  uninstall(): void;
};

const NAME = 'dhFaultInjection';

const awsJson = (status: number, type: string, message: string, extra: Record<string, unknown> = {}) => ({
  statusCode: status,
  reason: status >= 500 ? 'Internal Server Error' : 'Bad Request',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${Date.now()}` },
  body: Readable.from([
    Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra })),
  ]),
});

const transactItemCount = (args: { request?: unknown }): number => {
  const body = (args.request as { body?: unknown } | undefined)?.body;
  try {
    const parsed = JSON.parse(typeof body === 'string' ? body : '') as { TransactItems?: unknown[] };
    return parsed.TransactItems?.length ?? 1;
  } catch {
    return 1;
  }
};

const cancelled = (n: number, code: string, on: 'all' | 'last') =>
  awsJson(
    400,
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${code}]`,
    {
      CancellationReasons: Array.from({ length: n }, (_, i) =>
        on === 'all' || i === n - 1 ? { Code: code, Message: `${code} injected` } : { Code: 'None' },
      ),
    },
  );

const networkError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code, errno: -104, syscall: 'read' });

const fakeResponse = (fault: Fault, args: { request?: unknown }) => {
  switch (fault) {
    case 'throttle':
      return awsJson(400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.');
    case 'provisioned':
      return awsJson(
        400,
        'ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded.',
      );
    case 'internal':
      return awsJson(500, 'InternalServerError', 'Internal server error');
    case 'unavailable':
      return awsJson(503, 'ServiceUnavailable', 'Service unavailable');
    case 'txThrottle':
      return cancelled(transactItemCount(args), 'ThrottlingError', 'all');
    case 'txConflict':
      return cancelled(transactItemCount(args), 'TransactionConflict', 'last');
    case 'tooLarge':
      return awsJson(400, 'ValidationException', 'Item size has exceeded the maximum allowed size');
    default:
      return undefined;
  }
};

const normalize = (command: string): string => command.replace(/Command$/, '');

/** Adds the fault middleware to `client` (the DynamoDBClient a DocumentClient was built from). */
export const installFaults = (client: DynamoDBClient): FaultController => {
  const queues = new Map<string, Fault[]>();
  const seen = new Map<string, number>();
  const injected: Array<{ command: string; fault: Fault }> = [];
  const take = (command: string): Fault | undefined => queues.get(command)?.shift() ?? queues.get('*')?.shift();

  type Add = DynamoDBClient['middlewareStack']['add'];
  const middleware: Parameters<Add>[0] = (next, context) => async (args) => {
    const command = normalize(String((context as { commandName?: unknown }).commandName ?? ''));
    seen.set(command, (seen.get(command) ?? 0) + 1);
    const fault = take(command);
    if (fault === undefined) return next(args);
    injected.push({ command, fault });
    if (fault === 'reset') throw networkError('ECONNRESET', 'read ECONNRESET');
    if (fault === 'timeoutAfterCommit') {
      await next(args);
      throw Object.assign(new Error('Connection timed out after 2000 ms (the request did reach DynamoDB)'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      });
    }
    return { response: fakeResponse(fault, args as { request?: unknown }), output: undefined } as unknown as Awaited<
      ReturnType<typeof next>
    >;
  };
  // 'low' priority in the deserialize step: inside the SDK's deserializer, right before the
  // HTTP handler, so a faked response is parsed exactly like a real one.
  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name: NAME, override: true });
  return {
    plan: (command, faults) => {
      const key = command === '*' ? '*' : normalize(command);
      queues.set(key, [...(queues.get(key) ?? []), ...faults]);
    },
    calls: (command) => seen.get(normalize(command)) ?? 0,
    injected,
    pending: () => [...queues.values()].reduce((n, q) => n + q.length, 0),
    clear: () => {
      queues.clear();
      seen.clear();
      injected.length = 0;
    },
    uninstall: () => {
      client.middlewareStack.remove(NAME);
    },
  };
};
