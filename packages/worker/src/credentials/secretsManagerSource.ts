import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// Per-endpoint credentials on AWS: Secrets Manager's GetSecretValue (AWSCURRENT), behind
// core's per-container cache (cachingSecretSource). The SDK client adds about 15 KB to the
// worker's bundle (measured; SSM's would add 87 KB and pass the 1 MiB budget). A reason names
// the service's error, never a value. A binary secret is refused: the value goes into a header.
// ---------------------------------------------------------------------------

const reasonOf = (e: unknown): string => {
  const name = e instanceof Error ? e.name : 'Error';
  const message = e instanceof Error && e.message !== '' ? ` (${e.message.slice(0, 200)})` : '';
  return `Secrets Manager GetSecretValue: ${name}${message}`;
};

export const secretsManagerSource =
  (client: Pick<SecretsManagerClient, 'send'>): SecretSource =>
  async (secretId) => {
    try {
      const r = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      return r.SecretString === undefined
        ? E.left('Secrets Manager GetSecretValue: no SecretString (a binary secret cannot be a credential here)')
        : E.right(r.SecretString);
    } catch (e) {
      return E.left(reasonOf(e));
    }
  };
