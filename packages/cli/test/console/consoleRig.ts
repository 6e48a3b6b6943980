// Starting the built `dh console` against a test table, and reading it over HTTP as a browser would.
import { projectAll } from '../support/projectAll.js';
import { collectDh, type RunningDh } from '../support/runDh.js';
import { type RawServer, rawResponse, startRawServer } from '@delivery-history/testkit/rawHttpServer';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { secretsRig } from '../../../../test/secrets/secretsRig.js';
import { sqsEvent, sqsRecord, uniqueId } from '../../../worker/test/support/workerRig.js';

export type Console = {
  readonly dh: RunningDh;
  /** The URL printed on start, token included. */
  readonly url: URL;
  readonly origin: string;
  stop(): Promise<number | null>;
};

/** Resolves when `dh console` printed its URL (the command is ready), rejects if it exited first. */
export const startConsole = async (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<Console> => {
  const dh = collectDh(['console', ...args], env);
  const url = await new Promise<URL>((ok, fail) => {
    const look = () => {
      const m = /open (http:\/\/\S+) /.exec(dh.out());
      if (m?.[1] !== undefined) {
        dh.child.stdout?.off('data', look);
        ok(new URL(m[1]));
      }
    };
    dh.child.stdout?.on('data', look);
    dh.child.once('exit', (code) =>
      fail(new Error(`dh console exited (${code}) before its URL:\n${dh.out()}${dh.err()}`)),
    );
  });
  const exited = new Promise<number | null>((ok) => {
    if (dh.child.exitCode !== null) ok(dh.child.exitCode);
    else dh.child.once('exit', (code) => ok(code));
  });
  return {
    dh,
    url,
    origin: url.origin,
    stop: async () => {
      if (dh.child.exitCode === null) dh.child.kill('SIGINT');
      return exited;
    },
  };
};

/** The session cookie the token buys (`name=value`), and the raw Set-Cookie header to inspect. */
export const signIn = async (c: Console): Promise<{ cookie: string; setCookie: string; location: string | null }> => {
  const r = await fetch(c.url, { redirect: 'manual' });
  const setCookie = r.headers.get('set-cookie') ?? '';
  await r.arrayBuffer();
  if (r.status !== 303) throw new Error(`token exchange: HTTP ${r.status}`);
  return { cookie: setCookie.split(';')[0] ?? '', setCookie, location: r.headers.get('location') };
};

export type Got = { readonly status: number; readonly headers: Headers; readonly text: string };

export const get = async (c: Console, path: string, cookie?: string, init: RequestInit = {}): Promise<Got> => {
  const r = await fetch(new URL(path, c.origin), {
    redirect: 'manual',
    ...init,
    headers: { ...(cookie === undefined ? {} : { cookie }), ...(init.headers as Record<string, string> | undefined) },
  });
  return { status: r.status, headers: r.headers, text: await r.text() };
};

/** The CSRF token of a page's form. */
export const csrfIn = (text: string): string => /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';

/** Resolves once stderr matches (stderr and stdout are separate pipes: either may arrive first). */
export const stderrShows = async (c: Console, re: RegExp): Promise<void> => {
  while (!re.test(c.dh.err())) {
    if (c.dh.child.stderr === null || c.dh.child.stderr.readableEnded)
      throw new Error(`stderr never matched ${re}: ${c.dh.err()}`);
    await new Promise((ok) => c.dh.child.stderr?.once('data', ok).once('end', ok));
  }
};

// ---------------------------------------------------------------------------
// the data: a hostile receiver and a healthy one, delivered by the real worker handler
// ---------------------------------------------------------------------------

export const ESC = '\u001b';
export const SCRIPT = '<script>alert("xss")</script>';
const IMG = '<img src=x onerror=alert(1)>';
const JS_LINK = 'javascript:alert(2)';
const BIDI = 'a\u202eb';
export const MARKER = 'payload-marker-7f3';

const RECIPES = {
  hostile: rawResponse(
    `500 ${SCRIPT}`,
    ['content-type: text/html', `x-kept: ${IMG}`, `location: ${JS_LINK}`],
    `${MARKER} ${SCRIPT} ${IMG} <a href="${JS_LINK}">x</a> ${ESC}]0;TITLE\u0007 ${BIDI}`,
  ),
  ok: rawResponse('200 OK', ['content-type: text/html'], 'fine'),
} as const;

export type ConsoleData = {
  readonly raw: RawServer;
  readonly ids: { readonly hostile: string; readonly ok: string };
  /** The receiver's host:port (both messages went there). */
  readonly host: string;
  /** Delivers one more message (one attempt) with the real worker handler; projection is the caller's. */
  deliver(id: string, recipe: string): Promise<void>;
};

/** Delivers one hostile failure and one success (one attempt each), then projects trails and health. */
export const consoleData = async (t: TestTable): Promise<ConsoleData> => {
  const raw = await startRawServer();
  for (const [key, bytes] of Object.entries(RECIPES)) raw.define(key, { steps: [{ bytes, delayMs: 0 }], end: 'close' });
  const ids = { hostile: uniqueId('hostile'), ok: uniqueId('ok') };
  const rig = secretsRig(t, { DELIVERY_KEEP_RESPONSE_HEADERS: 'x-kept,location' });
  const deliver = async (id: string, key: string) => {
    const r = await rig.handler(
      sqsEvent([
        sqsRecord({ messageId: id, url: raw.url(key), body: `{"m":"${MARKER}"}`, correlationId: id, maxAttempts: 1 }),
      ]),
    );
    if (r.batchItemFailures.length > 0) throw new Error(`delivering ${id} failed`);
  };
  await deliver(ids.hostile, 'hostile');
  await deliver(ids.ok, 'ok');
  await projectAll(t);
  return { raw, ids, host: new URL(raw.url('hostile')).host, deliver };
};
