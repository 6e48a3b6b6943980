// Receivers for tests: devkit's demo receivers (one HTTP server on 127.0.0.1, see
// packages/devkit/src/receivers.ts) plus test-only ones.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GateReceiver = {
  readonly url: string;
  /** Requests that arrived (held or answered). */
  readonly arrived: number;
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  /** Answers every held request (and later ones at once) with `status`. */
  release(status?: number): void;
  close(): Promise<void>;
};

/** Holds every request until `release()`: makes "two deliveries at the same time" deterministic. */
export const startGateReceiver = async (): Promise<GateReceiver> => {
  const held: ServerResponse[] = [];
  const waiters: Array<{ n: number; ok: () => void }> = [];
  let arrived = 0;
  let released: number | null = null;
  const answer = (res: ServerResponse, status: number) => {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end('released');
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      arrived++;
      for (const w of waiters.filter((x) => arrived >= x.n)) w.ok();
      if (released !== null) answer(res, released);
      else held.push(res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gate`,
    get arrived() {
      return arrived;
    },
    waitFor: (n) =>
      new Promise<void>((ok) => {
        if (arrived >= n) ok();
        else waiters.push({ n, ok });
      }),
    release: (status = 200) => {
      released = status;
      for (const res of held.splice(0)) answer(res, status);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};
