import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A receiver on 127.0.0.1 that counts the requests of each message (by `webhook-id`, which the
// worker's signature sets to the message id): the receiver's half of invariant 5's books.

export type CountingReceiver = {
  readonly url: string;
  /** Requests received, by message id (counted when the body has arrived). */
  readonly requests: Map<string, number>;
  close(): Promise<void>;
};

/** `answer` (default: 200 `ok`) gets the message id and how many requests of it came before. */
export const startCountingReceiver = async (
  answer: (id: string, seen: number, res: ServerResponse<IncomingMessage>) => void | Promise<void> = (_, __, res) => {
    res.writeHead(200).end('ok');
  },
): Promise<CountingReceiver> => {
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id']?.toString() ?? '?';
      const seen = requests.get(id) ?? 0;
      requests.set(id, seen + 1);
      void answer(id, seen, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
};
