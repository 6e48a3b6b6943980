import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HostArg, IntArg, MessageIdArg, TimeArg } from '../src/kit/args/codecs.js';
import { declare } from '../src/kit/args/declaration.js';
import { flag, option, positional, required } from '../src/kit/args/option.js';
import { decodeArgs } from '../src/kit/args/parse.js';
import { parseDuration, parseTime } from '../src/kit/args/timeArg.js';
import { readConfig } from '../src/kit/config/readConfig.js';

const now = new Date('2025-06-01T12:00:00.000Z');

const Time = suite('parseTime');

Time('ISO with zone, date only, and zone-less times (UTC)', () => {
  assert.equal(parseTime('2025-05-01T10:00:00Z', now), E.right(new Date('2025-05-01T10:00:00.000Z')));
  assert.equal(parseTime('2025-05-01T10:00:00+02:00', now), E.right(new Date('2025-05-01T08:00:00.000Z')));
  assert.equal(parseTime('2025-05-01', now), E.right(new Date('2025-05-01T00:00:00.000Z')));
  assert.equal(parseTime('2025-05-01 10:30', now), E.right(new Date('2025-05-01T10:30:00.000Z')));
});

Time('relative: -1h and 2d mean ago, +30m ahead, now', () => {
  assert.equal(parseTime('-1h', now), E.right(new Date('2025-06-01T11:00:00.000Z')));
  assert.equal(parseTime('2d', now), E.right(new Date('2025-05-30T12:00:00.000Z')));
  assert.equal(parseTime('+30m', now), E.right(new Date('2025-06-01T12:30:00.000Z')));
  assert.equal(parseTime('now', now), E.right(now));
});

Time('garbage is a Left naming the accepted forms', () => {
  for (const bad of ['yesterday', '2025-13-45', '1y', '', '2025-05-01T25:00:00Z']) {
    const r = parseTime(bad, now);
    assert.ok(E.isLeft(r), bad);
    if (E.isLeft(r)) assert.match(r.left, /ISO-8601/);
  }
});

Time('durations: s m h d w, fractions, no sign, no bare numbers', () => {
  assert.equal(parseDuration('0s'), E.right(0));
  assert.equal(parseDuration('90m'), E.right(5_400_000));
  assert.equal(parseDuration(' 1.5h '), E.right(5_400_000));
  assert.equal(parseDuration('2d'), E.right(172_800_000));
  for (const bad of ['', '1', '-1h', '+1h', 'h', '1y', '1h30m']) {
    const r = parseDuration(bad);
    assert.ok(E.isLeft(r), bad);
    if (E.isLeft(r)) assert.match(r.left, 'expected a duration (30s, 15m, 1h, 2d, 1w)');
  }
});

const Decode = suite('decodeArgs');

const spec = declare({
  name: 'test',
  positionals: [positional('messageId', MessageIdArg)],
  options: {
    since: required(TimeArg(now, 'UTC'), { value: 'TIME', help: 'since' }),
    limit: option(IntArg(1, 1000), { value: 'N', help: 'limit' }),
    endpoint: option(HostArg, { value: 'HOST', help: 'endpoint' }),
    exhausted: flag({ help: 'exhausted' }),
  },
  about: '',
  examples: [],
});
const at = { now, zone: 'UTC' };

Decode('decodes positionals and flags into typed values', () => {
  const r = decodeArgs(
    ['m-1', '--since', '-1h', '--limit', '50', '--endpoint', 'API.Example.com:8443', '--json'],
    spec,
    at,
  );
  assert.ok(E.isRight(r));
  if (E.isLeft(r)) return;
  assert.is(r.right.messageId, 'm-1');
  assert.equal(r.right.since, new Date('2025-06-01T11:00:00.000Z'));
  assert.is(r.right.limit, 50);
  assert.is(r.right.endpoint, 'api.example.com:8443');
  assert.is(r.right.json, true);
});

Decode('errors name the flag or positional and what was expected', () => {
  const r = decodeArgs(['bad id!', '--since', 'soon', '--limit', '0'], spec, at);
  assert.ok(E.isLeft(r));
  if (E.isRight(r)) return;
  assert.match(r.left.message, /<messageId>: expected a message id/);
  assert.match(r.left.message, /--since: expected ISO-8601/);
  assert.match(r.left.message, /--limit: expected an integer 1\.\.1000, got "0"/);
});

Decode('a missing required value, an unknown flag, an extra positional', () => {
  const missing = decodeArgs(['m-1'], spec, at);
  assert.ok(E.isLeft(missing) && /--since: /.test(missing.left.message), JSON.stringify(missing));
  const unknown = decodeArgs(['m-1', '--since', 'now', '--frobnicate'], spec, at);
  assert.ok(E.isLeft(unknown) && /frobnicate/.test(unknown.left.message));
  const extra = decodeArgs(['m-1', 'm-2', '--since', 'now'], spec, at);
  assert.ok(E.isLeft(extra) && /unexpected argument "m-2"/.test(extra.left.message));
});

Decode('--endpoint with a URL says to use --endpoint-url', () => {
  const r = decodeArgs(['m-1', '--since', 'now', '--endpoint', 'http://127.0.0.1:8000'], spec, at);
  assert.ok(E.isLeft(r) && /--endpoint-url/.test(r.left.message));
});

Decode('--endpoint where there is no receiver filter is unknown, pointing at --endpoint-url (never the URL)', () => {
  const r = decodeArgs(
    ['m-1', '--endpoint', 'http://127.0.0.1:8000'],
    declare({
      name: 'test',
      positionals: [positional('messageId', MessageIdArg)],
      options: {},
      about: '',
      examples: [],
    }),
    at,
  );
  assert.ok(E.isLeft(r) && /--endpoint. \(did you mean --endpoint-url\?\)/.test(r.left.message), JSON.stringify(r));
});

const Config = suite('readConfig');

Config('environment, then flags', () => {
  const env = {
    DELIVERY_TABLE_NAME: 'from-env',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    AWS_REGION: 'eu-west-1',
  };
  const a = readConfig(env);
  assert.ok(E.isRight(a));
  if (E.isRight(a)) {
    assert.is(a.right.tableName, 'from-env');
    assert.is(a.right.endpoint, 'http://127.0.0.1:8000');
    assert.is(a.right.streamsEndpoint, 'http://127.0.0.1:8000');
    assert.is(a.right.configured, true);
  }
  const b = readConfig(env, { table: 'flag-table', endpointUrl: 'http://127.0.0.1:9000' });
  assert.ok(E.isRight(b) && b.right.tableName === 'flag-table' && b.right.endpoint === 'http://127.0.0.1:9000');
});

Config('nothing set: default table, AWS endpoint, not configured', () => {
  const r = readConfig({ AWS_REGION: 'us-east-1' });
  assert.ok(
    E.isRight(r) && r.right.tableName === 'delivery-history' && r.right.endpoint === null && !r.right.configured,
  );
});

Config('bad values are usage errors naming the variable', () => {
  const r = readConfig({ AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' });
  assert.ok(E.isLeft(r) && /AWS_ENDPOINT_URL_DYNAMODB/.test(r.left.message));
});

Config('blank means absent, for variables and flags alike; a blank flag leaves the variable', () => {
  const r = readConfig(
    { DELIVERY_TABLE_NAME: '  ', AWS_ENDPOINT_URL_DYNAMODB: '', AWS_REGION: ' eu-west-1 ' },
    { table: ' ', region: '' },
  );
  assert.ok(E.isRight(r));
  if (E.isRight(r)) {
    assert.is(r.right.tableName, 'delivery-history');
    assert.is(r.right.endpoint, null);
    assert.is(r.right.region, 'eu-west-1');
    assert.is(r.right.configured, false);
  }
  const f = readConfig({ DELIVERY_TABLE_NAME: 'from-env' }, { table: '' });
  assert.ok(E.isRight(f) && f.right.tableName === 'from-env');
});

Config("one line names every bad variable (the rules are core's, shared with the Lambdas)", () => {
  const r = readConfig(
    { DELIVERY_QUEUE_URL: 'queue', AWS_ENDPOINT_URL_SQS: 'ftp://h' },
    { table: 'no', region: 'eu west' },
  );
  assert.ok(E.isLeft(r));
  if (E.isLeft(r)) {
    for (const v of ['DELIVERY_TABLE_NAME', 'AWS_REGION', 'DELIVERY_QUEUE_URL', 'AWS_ENDPOINT_URL_SQS']) {
      assert.match(r.left.message, `.${v}: expected`);
    }
    assert.not.match(r.left.message, /\n/);
  }
});

Time.run();
Decode.run();
Config.run();
