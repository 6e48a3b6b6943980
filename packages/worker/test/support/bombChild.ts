// The worker as its own process, for the decompression-bomb test (decompressionBomb.test.ts):
// the real handler built from the worker's configuration (readConfig -> store, HTTP client,
// retry policy, as on Lambda) against the parent's table and receiver. It warms up on small
// deliveries, takes its peak RSS so far as the baseline, delivers each path in
// DH_BOMB_PATHS one record at a time, and prints one JSON line: the baseline and the peak
// (process.resourceUsage().maxRSS, KiB). DH_BOMB_MODE=naive instead downloads each body and
// decodes it whole with zlib's one-shot API (what an unbounded decoder does): the control
// that shows the measure sees a bomb.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { memoryLogger } from '@delivery-history/core';
import { makeStreamClients } from '@delivery-history/store';
import { createHandler, httpClientOf, workerStoreOf } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { memoryMetrics, readConfig } from '@delivery-history/worker/testing';
import * as E from 'fp-ts/lib/Either.js';
import { sqsEvent, sqsRecord } from '@delivery-history/testkit/sqsRecord';

const base = process.env.DH_BOMB_BASE_URL ?? '';
const paths = (process.env.DH_BOMB_PATHS ?? '').split(',').filter((p) => p !== '');
const maxRssKiB = (): number => process.resourceUsage().maxRSS;

const naive = async (): Promise<void> => {
  // warm-up: the same download path once, on a small body
  await (await fetch(`${base}/ok`, { method: 'POST' })).arrayBuffer();
  const baseline = maxRssKiB();
  let decoded = 0;
  for (const p of paths) {
    const res = await fetch(`${base}${p}`, { method: 'POST', headers: { 'accept-encoding': 'identity' } });
    const raw = Buffer.from(await res.arrayBuffer());
    // fetch leaves the body encoded here: the receiver sends it without a content-encoding
    // on the naive path (`?raw`), so this is the whole decode an unbounded decoder does
    decoded += p.includes('br') ? brotliDecompressSync(raw).length : gunzipSync(raw).length;
  }
  process.stdout.write(`${JSON.stringify({ baselineKiB: baseline, peakKiB: maxRssKiB(), decoded })}\n`);
};

const bounded = async (): Promise<void> => {
  const parsed = readConfig({
    DELIVERY_TABLE_NAME: process.env.DH_CHILD_TABLE ?? '',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.DH_CHILD_ENDPOINT ?? '',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1',
    DELIVERY_MAX_ATTEMPTS: '1',
  });
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  const config = parsed.right;
  const clients = makeStreamClients({ endpoint: process.env.DH_CHILD_ENDPOINT ?? '' });
  const logger = memoryLogger();
  const http = httpClientOf(config, systemClock);
  const handler = createHandler({
    store: workerStoreOf(clients.doc, config, logger),
    http,
    visibility: { changeVisibility: async () => undefined },
    clock: systemClock,
    logger,
    metrics: memoryMetrics(),
    leaseMs: config.leaseMs,
  });
  let n = 0;
  const deliver = async (path: string): Promise<string> => {
    const messageId = `bomb-${process.pid}-${++n}`;
    await handler(
      sqsEvent([sqsRecord({ messageId, url: `${base}${path}`, body: '{}' }, { messageId: `sqs-${messageId}` })]),
    );
    return messageId;
  };
  // warm-up: SDK, undici, the handler's paths, zlib itself (a small gzip answer)
  for (let i = 0; i < 20; i++) await deliver(i % 2 === 0 ? '/ok' : '/small-gzip');
  const baseline = maxRssKiB();
  const ids: Record<string, string> = {};
  for (const p of paths) ids[p] = await deliver(p);
  process.stdout.write(`${JSON.stringify({ baselineKiB: baseline, peakKiB: maxRssKiB(), ids })}\n`);
  await http.close();
  clients.destroy();
};

await (process.env.DH_BOMB_MODE === 'naive' ? naive() : bounded());
