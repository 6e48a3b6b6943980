import {
  defaultSecretPolicy,
  findSecrets as findSecretsWith,
  type SecretFinding,
  type SecretPolicy,
} from '@delivery-history/core';

// Invariant 9 (no stored secret), checked on items as stored with core's secret policy: the
// same rules that redacted them (no detector of our own). The operator's DELIVERY_REDACT_*
// settings come in with the store's policy (the CLI's config reads them once, as the worker
// does). Findings name the path and the rule, never the value.

export type { SecretFinding };

/** Secrets in one stored item (request bodies are the customer's payload and not inspected). */
export const findSecrets = (
  item: Readonly<Record<string, unknown>>,
  policy: SecretPolicy = defaultSecretPolicy,
): SecretFinding[] => findSecretsWith(item, policy);
