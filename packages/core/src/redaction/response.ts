import { type KnownSecrets, NO_KNOWN_SECRETS, scrubText } from './freeText.js';
import { DROPPED_HEADERS_KEY, REDACTED, URL_VALUED_HEADERS } from './names.js';
import { isSecretHeader, keepsResponseHeader, type SecretPolicy } from './policy.js';
import { redactUrlValue } from './url.js';

// ---------------------------------------------------------------------------
// The response side: headers by an allow-list (the rest dropped with a count), URL
// headers redacted like URLs, every kept value and every text through the scrub.
// ---------------------------------------------------------------------------

/** One response header value as it may be stored (the name already allowed). */
const redactResponseValue = (name: string, value: string, policy: SecretPolicy, known: KnownSecrets): string => {
  if (isSecretHeader(policy, name)) return REDACTED;
  const v = URL_VALUED_HEADERS.has(name.toLowerCase()) ? redactUrlValue(value, policy).redacted : value;
  return scrubText(v, policy, known);
};

/**
 * Response headers as stored: names lower-cased, only allow-listed ones kept (values
 * redacted), and `dh-dropped-headers: <n>` when the allow-list dropped any.
 */
export const keepResponseHeaders = (
  headers: Readonly<Record<string, string>>,
  policy: SecretPolicy,
  known: KnownSecrets = NO_KNOWN_SECRETS,
): Record<string, string> => {
  const kept: Record<string, string> = {};
  let dropped = 0;
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === DROPPED_HEADERS_KEY) continue;
    if (!keepsResponseHeader(policy, name)) dropped++;
    else kept[name] = redactResponseValue(name, v, policy, known);
  }
  return dropped === 0 ? kept : { ...kept, [DROPPED_HEADERS_KEY]: String(dropped) };
};

/**
 * The name-and-value rules without the allow-list (what any writer applies; the worker
 * has already applied the allow-list with the operator's settings). Idempotent.
 */
export const redactResponseHeaders = (
  headers: Readonly<Record<string, string>>,
  policy: SecretPolicy,
  known: KnownSecrets = NO_KNOWN_SECRETS,
): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redactResponseValue(k, v, policy, known)]));
