import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeWith, type SecretSource } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

// ---------------------------------------------------------------------------
// The local stand-in for Secrets Manager (per-endpoint credentials, issue 28): one JSON file
// mapping a secret id (the `secret` of DELIVERY_ENDPOINT_CREDENTIALS) to its value, read on
// each refresh (the worker's cache sits in front), so editing the file is a local rotation.
// Keep it private (mode 0600) and out of any repository.
// ---------------------------------------------------------------------------

/** DELIVERY_LOCAL_SECRETS: the secrets file (default ~/.delivery-history/local-secrets.json). */
export const LOCAL_SECRETS_VAR = 'DELIVERY_LOCAL_SECRETS';

const SecretsFile = t.record(t.string, t.string, 'local secrets file {"<secret id>": "<value>"}');

export const localSecretsPath = (env: Readonly<Record<string, string | undefined>>): string =>
  env[LOCAL_SECRETS_VAR]?.trim() || join(homedir(), '.delivery-history', 'local-secrets.json');

export const localSecretSource =
  (env: Readonly<Record<string, string | undefined>>): SecretSource =>
  async (secretId) => {
    const path = localSecretsPath(env);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      return E.left(`local secrets file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'not JSON'}`);
    }
    // the decoder's message never shows a value: the file's keys are ids, its values secrets
    const file = decodeWith(SecretsFile, json);
    if (E.isLeft(file)) return E.left(`local secrets file ${path}: expected {"<secret id>": "<value>"}`);
    const value = file.right[secretId];
    return value === undefined ? E.left(`local secrets file ${path}: no secret ${secretId}`) : E.right(value);
  };
