import { Stack } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { LambdaHandler } from './LambdaHandler.js';

// ---------------------------------------------------------------------------
// Per-endpoint credentials (issue 28): the worker reads each configured secret at send time
// (Secrets Manager GetSecretValue, cached per container for DELIVERY_ENDPOINT_CREDENTIALS_TTL_MS).
// Only the worker's role may read them, only these secrets (no wildcard), and kms:Decrypt only
// on a secret's own customer managed key, through Secrets Manager.
// ---------------------------------------------------------------------------

/** Where the secret's value goes: a header (e.g. `Authorization` with prefix `Bearer `) or a query parameter. */
export type EndpointCredentialProps =
  | { readonly secret: secretsmanager.ISecret; readonly header: string; readonly prefix?: string }
  | { readonly secret: secretsmanager.ISecret; readonly query: string };

/** IAM needs the full ARN (with its random suffix); an imported-by-name secret gets the suffix's wildcard. */
const policyArnOf = (s: secretsmanager.ISecret): string => s.secretFullArn ?? `${s.secretArn}-??????`;

const entryOf = (p: EndpointCredentialProps): Record<string, string> =>
  'query' in p
    ? { secret: p.secret.secretArn, query: p.query }
    : { secret: p.secret.secretArn, header: p.header, ...(p.prefix === undefined ? {} : { prefix: p.prefix }) };

export const grantEndpointCredentials = (
  worker: LambdaHandler,
  entries: Readonly<Record<string, EndpointCredentialProps>>,
): void => {
  const all = Object.values(entries);
  if (all.length === 0) return;
  worker.allow(
    'ReadEndpointCredentials',
    ['secretsmanager:GetSecretValue'],
    [...new Set(all.map((e) => policyArnOf(e.secret)))],
  );
  const keys = [
    ...new Set(all.flatMap((e) => (e.secret.encryptionKey === undefined ? [] : [e.secret.encryptionKey.keyArn]))),
  ];
  if (keys.length > 0) {
    const region = Stack.of(worker).region;
    worker.allow('DecryptEndpointCredentials', ['kms:Decrypt'], keys, {
      StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
    });
  }
  // the worker checks the shape and the secret policy at cold start (core's parseEndpointCredentials)
  worker.fn.addEnvironment(
    'DELIVERY_ENDPOINT_CREDENTIALS',
    Stack.of(worker).toJsonString(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, entryOf(v)]))),
  );
};
