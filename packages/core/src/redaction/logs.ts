import { createHash } from 'node:crypto';
import type { LogAttributes, Logger, LogLevel } from '../ports/logger.js';
import { type KnownSecrets, NO_KNOWN_SECRETS, scrubText } from './freeText.js';
import { REDACTED } from './names.js';
import { defaultSecretPolicy, isSecretKey, type SecretPolicy } from './policy.js';

// ---------------------------------------------------------------------------
// Logs: every attribute passes the policy (credential keys redacted, strings scrubbed),
// each value is bounded, and a line never gets near CloudWatch's 256 KB event limit.
// ---------------------------------------------------------------------------

export const MAX_LOG_VALUE_BYTES = 2_048;
/** Attributes of one line, serialized, at most this (CloudWatch refuses events over 256 KB). */
export const MAX_LOG_LINE_BYTES = 32 * 1024;
const MAX_DEPTH = 4;
const MAX_ENTRIES = 50;
const MAX_KEY_CHARS = 64;

/** A string cut to `maxBytes` of UTF-8 with an explicit marker and the original size. */
export const boundText = (s: string, maxBytes: number = MAX_LOG_VALUE_BYTES): string => {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes <= maxBytes) return s;
  const marker = `…[truncated, ${bytes} bytes]`;
  const kept = Buffer.from(s, 'utf8').subarray(0, Math.max(0, maxBytes - Buffer.byteLength(marker)));
  // drop a trailing half character
  return `${kept.toString('utf8').replace(/\uFFFD$/, '')}${marker}`;
};

const LOG_KEY = /^[\x21-\x7e]{1,256}$/;

/**
 * A request-supplied value (correlationId) as a log key: kept when it is 1-256 printable
 * ASCII characters without secret shapes, else `invalid(<n> bytes, sha256:<12 hex>)`.
 */
export const safeLogKey = (value: string, policy: SecretPolicy = defaultSecretPolicy): string =>
  LOG_KEY.test(value) && scrubText(value, policy) === value
    ? value
    : `invalid(${Buffer.byteLength(value, 'utf8')} bytes, sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12)})`;

type Ctx = { readonly policy: SecretPolicy; readonly known: KnownSecrets };

const redactValue = (ctx: Ctx, value: unknown, depth: number): unknown => {
  // cut first (a scrub of megabytes is wasted work), then scrub, then bound what is left
  if (typeof value === 'string')
    return boundText(scrubText(boundText(value, 4 * MAX_LOG_VALUE_BYTES), ctx.policy, ctx.known));
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (value instanceof Error) {
    return redactValue(ctx, { name: value.name, message: value.message, stack: value.stack ?? null }, depth);
  }
  if (depth >= MAX_DEPTH) return '[depth limit]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ENTRIES).map((v) => redactValue(ctx, v, depth + 1));
    return value.length > MAX_ENTRIES ? [...items, `[${value.length - MAX_ENTRIES} more]`] : items;
  }
  return redactObject(ctx, value as Record<string, unknown>, depth + 1);
};

const redactObject = (ctx: Ctx, o: Readonly<Record<string, unknown>>, depth: number): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const entries = Object.entries(o);
  for (const [k, v] of entries.slice(0, MAX_ENTRIES)) {
    const key = boundText(scrubText(k, ctx.policy, ctx.known), MAX_KEY_CHARS);
    out[key] = isSecretKey(ctx.policy, k) && v !== null && v !== undefined ? REDACTED : redactValue(ctx, v, depth);
  }
  if (entries.length > MAX_ENTRIES) out['[more]'] = entries.length - MAX_ENTRIES;
  return out;
};

/** Attributes as they may be logged: redacted, each value bounded, the whole under the line budget. */
export const redactLogAttributes = (
  attributes: LogAttributes,
  policy: SecretPolicy = defaultSecretPolicy,
  known: KnownSecrets = NO_KNOWN_SECRETS,
): LogAttributes => {
  const redacted = redactObject({ policy, known }, attributes, 0);
  const out: LogAttributes = {};
  let used = 2;
  let dropped = 0;
  for (const [k, v] of Object.entries(redacted)) {
    const size = Buffer.byteLength(JSON.stringify({ [k]: v }) ?? '', 'utf8');
    if (used + size > MAX_LOG_LINE_BYTES) dropped++;
    else {
      out[k] = v;
      used += size;
    }
  }
  if (dropped > 0) out.droppedAttributes = dropped;
  return out;
};

/** A logger whose every line passes the policy (and this request's own values, when known). */
export const redactingLogger = (
  logger: Logger,
  policy: SecretPolicy = defaultSecretPolicy,
  known: KnownSecrets = NO_KNOWN_SECRETS,
): Logger => {
  const at =
    (level: LogLevel) =>
    (message: string, ...attributes: LogAttributes[]): void =>
      logger[level](
        boundText(scrubText(boundText(message, 4 * MAX_LOG_VALUE_BYTES), policy, known)),
        redactLogAttributes(Object.assign({}, ...attributes), policy, known),
      );
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};
