import { randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { serverTiming } from './serverTiming.js';

// Who may look: one token printed on start (as Jupyter does) becomes a session cookie
// (HttpOnly, SameSite=Strict) and is spent; without the session every path answers 401.
// Every response carries a strict CSP (no inline script or style), no-store, nosniff and
// a same-origin referrer policy, and cannot be framed. A request that changes something needs the console's own
// Origin and the session's CSRF token (a form field or the x-csrf-token header).

export const SESSION_COOKIE = 'dh_console_session';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  const started = performance.now();
  await next();
  // the server's own time for this answer (the bench reads it; a browser's devtools show it)
  c.header('Server-Timing', serverTiming(c, performance.now() - started));
  c.header('Content-Security-Policy', CSP);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the
  // console's own form posts, and the Origin check needs the real one; nothing leaves the origin
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
};

/** The console's own origin (a browser cannot send another Host for a page of another site). */
const ownOrigin = (c: Context): string => new URL(c.req.url).origin;

/** A state-changing request must come from a page of the console itself: its Origin says so. */
const foreign = (c: Context): boolean => c.req.header('origin') !== ownOrigin(c);

/** The CSRF token a form or script sent: the form field, else the header. */
const sentCsrf = async (c: Context): Promise<string | undefined> => {
  const header = c.req.header('x-csrf-token');
  if (header !== undefined) return header;
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return undefined;
  // hono caches the parsed body: the route reads the same form again
  const body = await c.req.parseBody();
  return typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
};

const secret = (): string => randomBytes(32).toString('base64url');

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const CSRF_FIELD = 'csrf';

export type Access = {
  readonly token: string;
  readonly guard: MiddlewareHandler;
  /** The CSRF token of the request's session (every form of a page carries it). */
  readonly csrfOf: (c: Context) => string;
};

/**
 * The one-time token and the guard: `/?token=T` (first use only) sets the session cookie and
 * redirects to the same path without the token; a request without the session gets 401. A
 * request that changes something (any method but GET/HEAD) also needs the console's own Origin
 * and its session's CSRF token; with `readOnly` every such request is refused (405).
 */
export const access = (readOnly: boolean): Access => {
  let token: string | null = secret();
  const printed = token;
  /** session -> its CSRF token */
  const sessions = new Map<string, string>();
  /** The token's one use: a session cookie, then the same path without the token. */
  const exchange = (c: Context, given: string) => {
    if (token === null || !same(given, token)) return c.text('unknown or used token: start dh console again\n', 401);
    token = null;
    const session = secret();
    sessions.set(session, secret());
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
    // the deep link as asked, its filters kept, the token gone (history, logs, screenshots)
    const back = new URL(c.req.url);
    back.searchParams.delete('token');
    return c.redirect(`${back.pathname}${back.search}`, 303);
  };
  const csrfOfSession = (c: Context): string | undefined => {
    const session = getCookie(c, SESSION_COOKIE);
    return session === undefined ? undefined : sessions.get(session);
  };
  /** Origin first (refused before anything else is looked at), then the session, then the token. */
  const write = async (c: Context, next: () => Promise<void>) => {
    if (foreign(c)) return c.text('cross-origin request refused\n', 403);
    if (readOnly) return c.text('the console is read-only (--read-only)\n', 405);
    const csrf = csrfOfSession(c);
    if (csrf === undefined) return c.text('no session: open the URL dh console printed (its token works once)\n', 401);
    const sent = await sentCsrf(c);
    if (sent === undefined || !same(sent, csrf)) return c.text('missing or wrong CSRF token: reload the page\n', 403);
    return next();
  };
  const guard: MiddlewareHandler = async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return write(c, next);
    const given = c.req.query('token');
    if (given !== undefined) return exchange(c, given);
    if (csrfOfSession(c) === undefined) {
      return c.text('no session: open the URL dh console printed (its token works once)\n', 401);
    }
    return next();
  };
  return { token: printed, guard, csrfOf: (c) => csrfOfSession(c) ?? '' };
};
