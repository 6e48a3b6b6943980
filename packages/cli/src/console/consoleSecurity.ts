import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

// Who may look: one token printed on start (as Jupyter does) becomes a session cookie
// (HttpOnly, SameSite=Strict) and is spent; without the session every path answers 401.
// Every response carries a strict CSP (no inline script or style), no-store, nosniff and
// no-referrer, and cannot be framed. The slice is read-only: any other method than GET/HEAD
// is refused (a foreign Origin first), so no request can change anything.

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
  await next();
  c.header('Content-Security-Policy', CSP);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
};

/** This slice changes nothing: a foreign Origin is refused first, then every write method. */
const refuseWrite = (c: Context) => {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin)
    return c.text('cross-origin request refused\n', 403);
  return c.text('the console is read-only\n', 405);
};

const secret = (): string => randomBytes(32).toString('base64url');

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type Access = { readonly token: string; readonly guard: MiddlewareHandler };

/**
 * The one-time token and the guard: `/?token=T` (first use only) sets the session cookie and
 * redirects to the same path without the token; a request without the session gets 401.
 */
export const access = (): Access => {
  let token: string | null = secret();
  const printed = token;
  const sessions = new Set<string>();
  /** The token's one use: a session cookie, then the same path without the token. */
  const exchange = (c: Context, given: string) => {
    if (token === null || !same(given, token)) return c.text('unknown or used token: start dh console again\n', 401);
    token = null;
    const session = secret();
    sessions.add(session);
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
    // the deep link as asked, its filters kept, the token gone (history, logs, screenshots)
    const back = new URL(c.req.url);
    back.searchParams.delete('token');
    return c.redirect(`${back.pathname}${back.search}`, 303);
  };
  const guard: MiddlewareHandler = async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return refuseWrite(c);
    const given = c.req.query('token');
    if (given !== undefined) return exchange(c, given);
    const session = getCookie(c, SESSION_COOKIE);
    if (session === undefined || !sessions.has(session)) {
      return c.text('no session: open the URL dh console printed (its token works once)\n', 401);
    }
    return next();
  };
  return { token: printed, guard };
};
