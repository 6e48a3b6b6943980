import {
  type AllowList,
  type Clock,
  type DeliveryTarget,
  type HttpMethod,
  type OutcomeInput,
  parseDeliveryTarget,
  type SigningKeys,
  signatureHeaders,
  type TransportErrorCode,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Dispatcher } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import { guardedConnector, type Resolver } from '../ssrf/guardedConnector.js';
import { prepareHeaders } from './prepareHeaders.js';
import { bodySnippet } from './bodySnippet.js';
import { errorMessage, transportErrorCode } from './transportErrorCode.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type HttpRequest = {
  /** Sent as `webhook-id` when signing. */
  readonly messageId: string;
  readonly url: string;
  readonly method: HttpMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/** One HTTP exchange; never a rejection: every failure is an observation. */
export type HttpExchange = {
  readonly startedAt: Date;
  readonly completedAt: Date;
  /** What core's determineDeliveryOutcome classifies. */
  readonly observation: OutcomeInput;
  /** As received (not redacted); null when no response arrived. */
  readonly responseHeaders: Record<string, string> | null;
  /** Body bytes read (we stop reading past the cap). */
  readonly bodyBytesRead: number;
  /** True when the body went past the read cap and the rest was not read. */
  readonly bodyTruncated: boolean;
  /** False when we refused before any network activity (bad URL or header). */
  readonly sent: boolean;
  /** Every header as sent (not redacted: scrubExchange redacts), when the request went out. */
  readonly sentHeaders?: Readonly<Record<string, string>>;
};

export type HttpClientOptions = {
  readonly allow: AllowList;
  readonly connectTimeoutMs: number;
  /** From request sent to response headers, and the longest pause between body chunks. */
  readonly responseTimeoutMs: number;
  /** The whole exchange, connect to last byte read. */
  readonly totalTimeoutMs: number;
  /** Body bytes read at most; beyond it the connection is dropped. */
  readonly readCapBytes: number;
  /** Body bytes kept as the stored snippet. */
  readonly snippetBytes: number;
  readonly signingKeys: SigningKeys | null;
  readonly clock: Clock;
  readonly resolve?: Resolver;
};

export type HttpClient = {
  deliver(request: HttpRequest): Promise<HttpExchange>;
  /**
   * Ends every exchange in flight now, as a retryable NETWORK_ERROR observation saying why
   * (an operator's Ctrl-C during local delivery): each is then recorded, none left PROCESSING.
   * Returns how many were in flight.
   */
  abortInFlight(reason: string): number;
  close(): Promise<void>;
};

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

const flattenHeaders = (headers: Record<string, string | string[] | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
};

type Target = DeliveryTarget;

class ReadCapReached extends Error {
  override readonly name = 'ReadCapReached';
}
class TotalTimeout extends Error {
  override readonly name = 'TotalTimeout';
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

type Phase = 'connecting' | 'waiting' | 'body';

const TIMEOUT_BY_PHASE: Readonly<Record<Phase, TransportErrorCode>> = {
  connecting: 'CONNECT_TIMEOUT',
  waiting: 'RESPONSE_TIMEOUT',
  body: 'BODY_TIMEOUT',
};

/**
 * An undici agent with the SSRF guard in its connector; redirects are never followed
 * (undici's dispatch does not), a 3xx is an outcome like any other status.
 */
export const createHttpClient = (options: HttpClientOptions): HttpClient => {
  const agent = new Agent({
    connect: guardedConnector({
      allow: options.allow,
      connectTimeoutMs: options.connectTimeoutMs,
      ...(options.resolve !== undefined ? { resolve: options.resolve } : {}),
    }),
    headersTimeout: options.responseTimeoutMs,
    bodyTimeout: options.responseTimeoutMs,
  });
  const { clock } = options;
  const inFlight = new Set<(reason: string) => void>();

  const refuse = (startedAt: Date, code: TransportErrorCode, message: string): HttpExchange => ({
    startedAt,
    completedAt: startedAt,
    observation: { kind: 'error', code, message, responseTimeMs: 0 },
    responseHeaders: null,
    bodyBytesRead: 0,
    bodyTruncated: false,
    sent: false,
  });

  const prepare = (request: HttpRequest, startedAt: Date): Promise<HttpExchange> => {
    const target = parseDeliveryTarget(request.url);
    if (E.isLeft(target)) return Promise.resolve(refuse(startedAt, 'INVALID_URL', `invalid URL: ${target.left}`));
    const signature = signatureHeaders(options.signingKeys, {
      id: request.messageId,
      timestampSeconds: Math.floor(startedAt.getTime() / 1000),
      body: request.body,
    });
    const headers = prepareHeaders({
      headers: request.headers,
      body: request.body,
      signature,
      userInfo: target.right.userInfo,
    });
    if (E.isLeft(headers)) return Promise.resolve(refuse(startedAt, 'INVALID_URL', `invalid request: ${headers.left}`));
    return exchange(request, target.right, headers.right, startedAt);
  };

  // Every input becomes an observation: a throw here (between the claim and the append) would
  // leave the message PROCESSING until its lease runs out. Nothing was sent when preparing threw.
  const deliver = async (request: HttpRequest): Promise<HttpExchange> => {
    const startedAt = clock();
    try {
      return await prepare(request, startedAt);
    } catch (error) {
      return refuse(startedAt, 'INVALID_URL', `invalid request: ${errorMessage(error)}`);
    }
  };

  const exchange = (
    request: HttpRequest,
    target: Target,
    headers: Record<string, string>,
    startedAt: Date,
  ): Promise<HttpExchange> =>
    new Promise((resolve) => {
      const snippetLimit = Math.min(options.snippetBytes, options.readCapBytes);
      let snippet = bodySnippet(snippetLimit, {});
      let phase: Phase = 'connecting';
      let controller: Dispatcher.DispatchController | undefined;
      let status: { code: number; text: string; headers: Record<string, string> } | undefined;
      let settled = false;
      // the response is complete (or cut at the cap) and its snippet is being decoded: nothing
      // else (timer, abort, a late socket error) may decide the outcome any more
      let responding = false;

      const finish = (observation: OutcomeInput, truncated: boolean): void => {
        if (settled) return;
        settled = true;
        inFlight.delete(interrupt);
        clearTimeout(timer);
        const completedAt = clock();
        resolve({
          startedAt,
          completedAt,
          observation,
          responseHeaders: status?.headers ?? null,
          bodyBytesRead: snippet.bytes,
          bodyTruncated: truncated,
          sent: true,
          sentHeaders: headers,
        });
      };
      const elapsed = (): number => Math.max(0, clock().getTime() - startedAt.getTime());
      const respond = (truncated: boolean): void => {
        if (status === undefined || responding || settled) return;
        responding = true;
        clearTimeout(timer);
        const { code, text, headers } = status;
        const responseTimeMs = elapsed();
        void snippet.text().then((bodySnippetText) =>
          finish(
            {
              kind: 'response',
              statusCode: code,
              statusText: text,
              headers,
              responseTimeMs,
              bodySnippet: bodySnippetText,
              bodyBytes: snippet.bytes,
            },
            truncated,
          ),
        );
      };
      const fail = (code: TransportErrorCode, message: string): void => {
        if (responding) return;
        finish({ kind: 'error', code, message, responseTimeMs: elapsed() }, false);
      };

      const interrupt = (reason: string): void => {
        fail('NETWORK_ERROR', `delivery interrupted (${phase}): ${reason}`);
        controller?.abort(new TotalTimeout('interrupted'));
      };
      inFlight.add(interrupt);

      // Our own timer bounds the whole exchange (undici's timers are per phase and coarse).
      const timer = setTimeout(() => {
        const after = status === undefined ? '' : ` after HTTP ${status.code}`;
        // Settle first: aborting calls onResponseError synchronously.
        fail(TIMEOUT_BY_PHASE[phase], `no complete response within ${options.totalTimeoutMs} ms (${phase}${after})`);
        controller?.abort(new TotalTimeout('total timeout'));
      }, options.totalTimeoutMs);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (c) => {
          controller = c;
          if (settled) c.abort(new TotalTimeout('total timeout'));
          else phase = 'waiting';
        },
        onResponseStart: (_c, statusCode, rawHeaders, statusMessage) => {
          if (statusCode < 200) return; // interim 1xx: the final answer follows
          phase = 'body';
          status = { code: statusCode, text: statusMessage ?? '', headers: flattenHeaders(rawHeaders) };
          snippet = bodySnippet(snippetLimit, status.headers);
        },
        onResponseData: (c, chunk) => {
          if (settled || responding) return;
          if (snippet.push(chunk) > options.readCapBytes) {
            // Past the cap: keep the snippet, drop the connection rather than read the rest.
            respond(true);
            c.abort(new ReadCapReached('response body read cap reached'));
          }
        },
        onResponseEnd: () => respond(false),
        onResponseError: (_c, error) => {
          if (settled) return;
          const after = status === undefined ? '' : ` (after HTTP ${status.code} ${phase})`;
          fail(transportErrorCode(error), `${errorMessage(error)}${after}`);
        },
      };

      try {
        agent.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method: request.method,
            headers,
            body: request.body === '' ? null : request.body,
            headersTimeout: options.responseTimeoutMs,
            bodyTimeout: options.responseTimeoutMs,
          },
          handler,
        );
      } catch (error) {
        fail(transportErrorCode(error), errorMessage(error));
      }
    });

  const abortInFlight = (reason: string): number => {
    const all = [...inFlight];
    for (const interrupt of all) interrupt(reason);
    return all.length;
  };

  return { deliver, abortInFlight, close: () => agent.close() };
};
