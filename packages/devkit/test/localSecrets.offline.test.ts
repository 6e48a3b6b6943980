// The local stand-in for Secrets Manager: a JSON file read on each call (the worker's cache
// sits in front), so an edit is a local rotation; its errors name the file and the id, never
// a value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LOCAL_SECRETS_VAR, localSecretSource } from '../src/localSecrets.js';

const L = suite<{ dir: string }>('local secrets file', { dir: '' });
L.before((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-local-secrets-'));
});
L.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

L('a value by id; an edit is seen by the next read; errors never show a value', async ({ dir }) => {
  const path = join(dir, 'secrets.json');
  const source = localSecretSource({ [LOCAL_SECRETS_VAR]: path });
  const missing = await source('a');
  assert.ok(E.isLeft(missing) && missing.left.includes('ENOENT'));
  writeFileSync(path, JSON.stringify({ a: 'value-one', b: 'value-two' }));
  assert.equal(await source('a'), E.right('value-one'));
  writeFileSync(path, JSON.stringify({ a: 'value-three' }));
  assert.equal(await source('a'), E.right('value-three'), 'rotated by an edit');
  assert.equal(await source('b'), E.left(`local secrets file ${path}: no secret b`));
  writeFileSync(path, JSON.stringify({ a: 42, c: 'value-four' }));
  const bad = await source('c');
  assert.ok(E.isLeft(bad) && !bad.left.includes('value-four') && !bad.left.includes('42'));
  writeFileSync(path, '{ not json value-five');
  const notJson = await source('a');
  assert.ok(E.isLeft(notJson) && !notJson.left.includes('value-five'));
});

L.run();
