import { connect, createServer, type Server, type Socket } from 'node:net';

// The network between the clients and DynamoDB Local, to cut it as a dying host does: every
// open connection is reset (requests in flight fail with ECONNRESET, whether or not the
// server committed them) and new ones are refused (ECONNREFUSED) until `restore`.

export type TcpCut = {
  readonly port: number;
  readonly endpoint: string;
  /** Reset every connection and refuse new ones. */
  cut(): Promise<void>;
  /** Listen again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
};

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });

export const startTcpCut = async (listenPort: number, targetPort: number): Promise<TcpCut> => {
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
    // a reset is the point of the exercise, not an error of the proxy
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await listen(server, listenPort);
  const cut = async () => {
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    for (const s of open) s.resetAndDestroy();
    await closed;
  };
  return {
    port: listenPort,
    endpoint: `http://127.0.0.1:${listenPort}`,
    cut,
    restore: () => listen(server, listenPort),
    close: async () => {
      if (server.listening) await cut();
      else for (const s of open) s.resetAndDestroy();
    },
  };
};
