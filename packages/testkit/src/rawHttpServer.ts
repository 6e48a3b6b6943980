import { createServer, type Server, type Socket } from 'node:net';

// A raw TCP server on 127.0.0.1 that answers each request with bytes a test chose, so
// responses can be anything an HTTP library may meet: broken status lines, huge or binary
// headers, invalid UTF-8, bodies that drip, stop short, or never end. The recipe is picked
// by the request path (`/r/<key>`); requests are counted by `webhook-id`, every one of them,
// including those a client sends on a kept-alive socket after an odd answer.

/** A whole HTTP/1.1 answer (content-length and connection: close added); the head as latin1 bytes. */
export const rawResponse = (status: string, headers: ReadonlyArray<string>, body: string): Buffer => {
  const b = Buffer.from(body, 'utf8');
  const head = [`HTTP/1.1 ${status}`, ...headers, `content-length: ${b.length}`, 'connection: close'];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), b]);
};

export type Step = { readonly bytes: Buffer; readonly delayMs: number };
export type Recipe = { readonly steps: ReadonlyArray<Step>; readonly end: 'close' | 'reset' | 'hang' };

export type RawServer = {
  url(key: string): string;
  define(key: string, recipe: Recipe): void;
  requestsOf(webhookId: string): number;
  close(): Promise<void>;
};

const HEAD_LIMIT = 64 * 1024;

export const startRawServer = async (): Promise<RawServer> => {
  const recipes = new Map<string, Recipe>();
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };
  /** Plays a recipe's steps; `done` once it is over (a 'hang' is over at once: later requests wait on nothing). */
  const play = (socket: Socket, recipe: Recipe, i: number, done: () => void): void => {
    if (socket.destroyed) {
      done();
      return;
    }
    const step = recipe.steps[i];
    if (step === undefined) {
      if (recipe.end === 'close') socket.end();
      else if (recipe.end === 'reset') socket.resetAndDestroy();
      done();
      return;
    }
    later(step.delayMs, () => {
      if (socket.destroyed) {
        done();
        return;
      }
      socket.write(step.bytes, () => play(socket, recipe, i + 1, done));
    });
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Keep-alive: a client may send further requests on a socket whatever we answered
    // (even garbage, even nothing yet). Each complete request is counted, and answered by
    // its own recipe once the previous answer has been played.
    let buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    const nextRequest = (): void => {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffer.length > HEAD_LIMIT) socket.destroy();
        return;
      }
      const text = buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1] ?? '0');
      if (buffer.length < end + 4 + length) return;
      buffer = buffer.subarray(end + 4 + length);
      const path = /^[A-Z]+ (\S+)/.exec(text)?.[1] ?? '/';
      const id = /\r\nwebhook-id:\s*([^\r\n]*)/i.exec(text)?.[1]?.trim() ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const recipe = recipes.get(path.replace(/^\/r\//, '').split('?')[0] ?? '');
      queue = queue.then(
        () =>
          new Promise<void>((done) => {
            if (recipe === undefined) {
              socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
              done();
              return;
            }
            play(socket, recipe, 0, done);
          }),
      );
      nextRequest();
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      nextRequest();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: (key) => `http://127.0.0.1:${port}/r/${key}`,
    define: (key, recipe) => {
      recipes.set(key, recipe);
    },
    requestsOf: (id) => seen.get(id) ?? 0,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};
