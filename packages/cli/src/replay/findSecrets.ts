import {
  defaultSecretPolicy,
  findSecrets as findSecretsWith,
  type SecretFinding,
  type SecretPolicy,
  secretPolicyFromEnv,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// Invariant 9 (no stored secret), checked on items as stored with core's secret policy: the
// same rules that redacted them (no detector of our own). The operator's DELIVERY_REDACT_*
// settings apply as they do in the worker. Findings name the path and the rule, never the value.

export type { SecretFinding };

let fromEnv: SecretPolicy | undefined;

// debt: read once by the CLI's config reader and passed down, rather than here.
const envPolicy = (): SecretPolicy => {
  fromEnv ??= E.getOrElse(() => defaultSecretPolicy)(secretPolicyFromEnv(process.env));
  return fromEnv;
};

/** Secrets in one stored item (request bodies are the customer's payload and not inspected). */
export const findSecrets = (
  item: Readonly<Record<string, unknown>>,
  policy: SecretPolicy = envPolicy(),
): SecretFinding[] => findSecretsWith(item, policy);
