import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port (we could bind it ourselves). */
export const portIsFree = (port: number): Promise<boolean> =>
  new Promise((ok) => {
    const server = createServer();
    server.once('error', () => ok(false));
    server.listen(port, '127.0.0.1', () => server.close(() => ok(true)));
  });
