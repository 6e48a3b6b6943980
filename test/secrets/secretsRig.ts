// Shared set-up for the secrets tests (not a test file itself): an echo receiver that reflects
// the request into whatever the request asks for, and the real worker handler with the
// secret settings from an environment map, against DynamoDB Local.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { findSecrets, memoryLogger, type SecretPolicy, type Sealer } from '@delivery-history/core';
import { createHandler, type SqsBatchHandler, workerStoreOf } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { memoryMetrics, readConfig } from '@delivery-history/worker/testing';
import * as E from 'fp-ts/lib/Either.js';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { recordingVisibility, testHttp } from '../../packages/worker/test/support/workerRig.js';

// ---------------------------------------------------------------------------
// recording receiver
// ---------------------------------------------------------------------------

export type Seen = { url: string; headers: IncomingHttpHeaders };
export type RecordingReceiver = { readonly port: number; readonly seen: Seen[]; close(): Promise<void> };

/** Records each request (URL, headers as received) and answers `statusOf` it, as text/plain. */
export const startRecordingReceiver = async (
  statusOf: (headers: IncomingHttpHeaders) => number,
): Promise<RecordingReceiver> => {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const status = statusOf(req.headers);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};

// ---------------------------------------------------------------------------
// echo receiver
// ---------------------------------------------------------------------------

export type EchoReceiver = {
  readonly port: number;
  /** Headers of the requests as received. */
  readonly received: Array<Readonly<Record<string, string | string[] | undefined>>>;
  close(): Promise<void>;
};

const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join(', ') : (v ?? ''));

/**
 * Answers `x-echo-status` (default 200) and reflects the request (method, URL, every header)
 * into the parts `x-echo` lists: `body` (a debug page: raw lines and JSON), `headers`
 * (`x-echo-<name>`, plus an allow-listed `x-request-id` carrying the Authorization value),
 * `reason` (`Bad token <authorization> <url>`), `location` (an absolute URL with the request's
 * path and query, `code=` and `#access_token=`). `x-fixed-body` answers that body verbatim.
 */
export const startEchoReceiver = async (): Promise<EchoReceiver> => {
  const received: EchoReceiver['received'] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    received.push(req.headers);
    const modes = one(req.headers['x-echo']).split(',');
    const status = Number(one(req.headers['x-echo-status']) || '200');
    const url = req.url ?? '/';
    const auth = one(req.headers.authorization);
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      'x-kept': 'kept-value',
      'x-unlisted': 'dropped-value',
    };
    if (modes.includes('headers')) {
      for (const [k, v] of Object.entries(req.headers)) headers[`x-echo-${k}`] = printable(one(v));
      headers['x-echo-url'] = printable(url);
      headers['x-request-id'] = printable(auth);
      headers['x-refresh-credential'] = printable(auth);
    }
    if (modes.includes('location')) {
      const q = encodeURIComponent(auth);
      headers.location = `https://app.example${url}${url.includes('?') ? '&' : '?'}code=${q}#access_token=${q}`;
    }
    const lines = Object.entries(req.headers).map(([k, v]) => `${k}: ${one(v)}`);
    const dump = `${req.method} ${url}\n${lines.join('\n')}\n\n${JSON.stringify({ url, headers: req.headers })}`;
    const fixed = req.headers['x-fixed-body'];
    const body =
      typeof fixed === 'string' ? Buffer.from(fixed, 'base64').toString('utf8') : modes.includes('body') ? dump : 'ok';
    const reason = modes.includes('reason') ? printable(`Bad token ${auth} ${url}`) : undefined;
    headers['content-length'] = String(Buffer.byteLength(body));
    if (reason === undefined) res.writeHead(status, headers);
    else res.writeHead(status, reason, headers);
    res.end(body);
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};

// ---------------------------------------------------------------------------
// the worker, configured by an environment map
// ---------------------------------------------------------------------------

/** The secret settings every test in this folder runs with (they extend the built-ins). */
export const SECRET_ENV = {
  DELIVERY_REDACT_HEADERS: 'x-tenant-key,x-partner-*',
  DELIVERY_REDACT_PARAMS: 'tenant_pin',
  DELIVERY_REDACT_PATHS: '/in/*/{secret}',
  DELIVERY_KEEP_RESPONSE_HEADERS: 'x-kept',
};

export type SecretsRig = {
  readonly handler: SqsBatchHandler;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly secrets: SecretPolicy;
};

/** Every provider host resolves to 127.0.0.1 (the echo receiver), which the allow-list permits. */
const loopback = async () => [{ address: '127.0.0.1', family: 4 }];

export const secretsRig = (
  t: TestTable,
  env: Readonly<Record<string, string>> = SECRET_ENV,
  sealer?: Sealer,
): SecretsRig => {
  const parsed = readConfig({ ...env, DELIVERY_TABLE_NAME: t.tableName, DELIVERY_MAX_ATTEMPTS: '1' });
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  const config = parsed.right;
  const logger = memoryLogger();
  const handler = createHandler({
    store: workerStoreOf(t.doc, config, logger),
    http: testHttp({ resolve: loopback, signingKeys: config.signingKeys }),
    visibility: recordingVisibility(),
    clock: systemClock,
    logger,
    metrics: memoryMetrics(),
    leaseMs: 5_000,
    ...(sealer === undefined ? {} : { sealer }),
  });
  return { handler, logger, secrets: config.secrets };
};

/** Every item of the test table. */
export const scanTable = async (t: TestTable): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(new ScanCommand({ TableName: t.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

/** Each captured log entry as the JSON line it would be. */
export const logLines = (logger: ReturnType<typeof memoryLogger>): string[] =>
  logger.entries.map((e) => JSON.stringify({ level: e.level, message: e.message, ...e.attributes }));

/** `dh verify`'s secrets check (core's checker) over items. */
export const verifyFindings = (items: ReadonlyArray<Record<string, unknown>>, policy: SecretPolicy): string[] =>
  items.flatMap((item) => findSecrets(item, policy).map((f) => `${String(item.sk)} ${f.path}: ${f.pattern}`));

/** The spellings a leak could take: the value and, for user:pass, its Basic form. */
export const leakForms = (secret: string): string[] => [secret, Buffer.from(secret, 'utf8').toString('base64')];
