import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { type SigningKeys, verifySignature } from '@delivery-history/core';
import { freePort } from './freePort.js';

// ---------------------------------------------------------------------------
// Webhook receivers for the local demo and tests: ONE real HTTP server on
// 127.0.0.1 whose paths behave like the receivers a delivery system meets.
//   /status/<code>[?retryAfter=<s>]  answers <code> (3xx with a Location, 429/503 with Retry-After)
//   /ok                               200
//   /flaky/<n>[?code=503]            <code> for the first <n> requests of each webhook-id, then 200
//   /sleep/<ms>                       answers 200 after <ms> (past the worker's timeout: a timeout)
//   /reset                            resets the TCP connection (RST) without answering
//   /stream/<bytes>                   200 and a body of <bytes> bytes, streamed with backpressure
//   /verify                           200 when the Standard Webhooks signature checks out, else 401
// Every request is recorded (headers, body up to 1 KiB) for assertions.
// ---------------------------------------------------------------------------

export type ReceivedRequest = {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly webhookId: string | null;
  readonly bodyBytes: number;
  /** First KiB of the body. */
  readonly body: string;
};

export type Receivers = {
  readonly baseUrl: string;
  url(path: string): string;
  /** A port nothing listens on (connection refused). */
  refusedUrl(): Promise<string>;
  /** RFC 6761: never resolves. */
  readonly unresolvableUrl: string;
  readonly requests: ReadonlyArray<ReceivedRequest>;
  /** Requests whose path starts with `prefix` (all when omitted). */
  count(prefix?: string): number;
  /** Bytes the /stream route managed to write before the client went away. */
  readonly streamedBytes: number;
  clear(): void;
  close(): Promise<void>;
};

export type ReceiverOptions = {
  /** Keys /verify checks signatures with. */
  readonly signingKeys?: SigningKeys;
  /** Clock for signature timestamps (seconds). */
  readonly nowSeconds?: () => number;
};

const STREAM_CHUNK = Buffer.alloc(64 * 1024, 0x78);

const statusRoute = (res: ServerResponse, code: number, url: URL): void => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (code >= 300 && code < 400) headers.location = '/status/200';
  const retryAfter = url.searchParams.get('retryAfter');
  if ((code === 429 || code === 503) && retryAfter !== null) headers['retry-after'] = retryAfter;
  res.writeHead(code, headers);
  // 1xx/204/304 have no body by definition
  res.end(code === 204 || code === 304 ? undefined : JSON.stringify({ status: code }));
};

export const startReceivers = async (options: ReceiverOptions = {}): Promise<Receivers> => {
  const requests: ReceivedRequest[] = [];
  const flakySeen = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let streamedBytes = 0;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));

  const stream = (res: ServerResponse, total: number): void => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !res.destroyed) {
        const chunk = STREAM_CHUNK.subarray(0, Math.min(STREAM_CHUNK.length, total - sent));
        sent += chunk.length;
        streamedBytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the local receivers' route table (one branch per path), test tooling only
  const route = (req: IncomingMessage, res: ServerResponse, url: URL, body: string, webhookId: string | null): void => {
    const [, name = '', arg = ''] = url.pathname.split('/');
    switch (name) {
      case 'ok':
        statusRoute(res, 200, url);
        return;
      case 'status':
        statusRoute(res, Number(arg) || 500, url);
        return;
      case 'flaky': {
        const key = `${url.pathname}#${webhookId ?? ''}`;
        const seen = (flakySeen.get(key) ?? 0) + 1;
        flakySeen.set(key, seen);
        statusRoute(res, seen <= Number(arg) ? Number(url.searchParams.get('code') ?? 503) : 200, url);
        return;
      }
      case 'sleep': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) statusRoute(res, 200, url);
        }, Number(arg) || 0);
        timers.add(timer);
        return;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'stream':
        stream(res, Number(arg) || 0);
        return;
      case 'verify': {
        if (options.signingKeys === undefined) {
          statusRoute(res, 200, url);
          return;
        }
        const verdict = verifySignature(options.signingKeys, req.headers, body, nowSeconds());
        res.writeHead(E.isRight(verdict) ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(E.isRight(verdict) ? { verified: verdict.right } : { error: verdict.left }));
        return;
      }
      default:
        statusRoute(res, 404, url);
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes <= 1024) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const hdr = req.headers['webhook-id'];
      const webhookId = typeof hdr === 'string' ? hdr : null;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        at: Date.now(),
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        webhookId,
        bodyBytes: bytes,
        body,
      });
      route(req, res, url, body, webhookId);
    });
  });
  // Default 5 s keep-alive; the worker's agent keeps connections shorter (4 s), so no races.
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    url: (path) => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
    refusedUrl: async () => `http://127.0.0.1:${await freePort()}/refused`,
    unresolvableUrl: 'http://receiver.invalid/hook',
    requests,
    count: (prefix = '/') => requests.filter((r) => r.path.startsWith(prefix)).length,
    get streamedBytes() {
      return streamedBytes;
    },
    clear: () => {
      requests.length = 0;
      flakySeen.clear();
      streamedBytes = 0;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};
