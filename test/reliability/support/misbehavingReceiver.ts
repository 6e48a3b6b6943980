import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// An HTTP receiver on 127.0.0.1 whose paths misbehave the way real webhook endpoints do.
// Every request is counted by its `webhook-id` (= messageId) the moment its headers arrive.
//   /ok                200 at once
//   /hang-headers      reads the request, never answers
//   /hang-body         200 + a first body chunk, then silence
//   /reset             TCP reset right after the request
//   /reset-mid-body    200 + part of the body, then a TCP reset
//   /close             closes the connection without a byte of response
//   /reset-once        reset for the first request of a webhook-id, 200 after
//   /hang-once         hang for the first request of a webhook-id, 200 after

export type Misbehaving = {
  readonly baseUrl: string;
  url(path: string): string;
  requestsOf(webhookId: string): number;
  readonly total: () => number;
  close(): Promise<void>;
};

export const startMisbehavingReceiver = async (): Promise<Misbehaving> => {
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  let total = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const id = typeof req.headers['webhook-id'] === 'string' ? req.headers['webhook-id'] : '';
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    total++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    req.resume();
    req.on('end', () => {
      switch (path) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          return;
        case '/hang-headers':
          return;
        case '/hang-body':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
          res.write('partial');
          return;
        case '/reset':
          req.socket.resetAndDestroy();
          return;
        case '/reset-mid-body':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
          res.write('partial', () => req.socket.resetAndDestroy());
          return;
        case '/close':
          req.socket.end();
          return;
        case '/reset-once':
          if (n === 1) req.socket.resetAndDestroy();
          else res.writeHead(200).end('ok');
          return;
        case '/hang-once':
          if (n > 1) res.writeHead(200).end('ok');
          return;
        default:
          res.writeHead(404).end();
      }
    });
  };
  const server: Server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (path) => `${baseUrl}${path}`,
    requestsOf: (id) => seen.get(id) ?? 0,
    total: () => total,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};
