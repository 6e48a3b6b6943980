// Errors that say what to do (exit 3): an unreachable endpoint is named as the DynamoDB
// endpoint with `dh local` / AWS_ENDPOINT_URL_DYNAMODB suggested, a missing table is named,
// and an HTTP server that is not DynamoDB is an error, not "not found". Built `dh` binary.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@delivery-history/devkit/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { type DhResult, dhEnv, runDh, show } from './support/runDh.js';

type Ctx = { t: TestTable; servers: Server[] };
const I = suite<Ctx>('dh: infrastructure errors');

I.before(async (ctx) => {
  ctx.t = await useTestTable('cli-infra');
  ctx.servers = [];
});
I.after(async (ctx) => {
  for (const s of ctx.servers) s.close();
  await ctx.t.drop();
});

const ok = (r: DhResult, code: number) => assert.is(r.code, code, show(r));
const oneLine = (r: DhResult) => assert.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);

/** A server answering every request with `status` and `body` (a web server, not DynamoDB). */
const fakeServer = async (ctx: Ctx, status: number, body: string): Promise<string> => {
  const s = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(body);
  });
  await new Promise<void>((ok_) => s.listen(0, '127.0.0.1', () => ok_()));
  ctx.servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

I('unreachable endpoint: named as the DynamoDB endpoint, dh local suggested, exit 3, on every command', async (ctx) => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const env = dhEnv({ endpoint: dead, tableName: ctx.t.tableName });
  const runs = await Promise.all([
    runDh(['history', 'm-1'], env),
    runDh(['failed', '--since', '-1h'], env),
    runDh(['endpoint', 'hooks.example.com'], env),
    runDh(['correlation', 'c-1'], env),
    runDh(['verify', '--progress', 'none'], env),
    runDh(['replay', 'projections', '--all', '--dry-run', '--progress', 'none'], env),
    // the stream tail goes through the store's error funnel like every other read
    runDh(['tail'], env),
  ]);
  for (const r of runs) {
    ok(r, 3);
    oneLine(r);
    assert.ok(r.stderr.includes(`cannot reach the DynamoDB endpoint ${dead} (connection refused)`), r.stderr);
    assert.match(r.stderr, /"dh local"/);
    assert.match(r.stderr, /AWS_ENDPOINT_URL_DYNAMODB/);
    assert.not.match(r.stderr, /^dh [a-z ]+: [a-z ]+: /);
  }
});

I(
  'redrive and expunge whose rows failed because the table is unreachable: the one line, nothing on stdout',
  async (ctx) => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const env = dhEnv({ endpoint: dead, tableName: ctx.t.tableName, extra: { DH_OPERATOR: 'test' } });
    const runs = await Promise.all([
      runDh(['replay', 'redrive', '--message', 'm-1', '--reason', 'r', '--progress', 'none'], env),
      runDh(['expunge', '--message', 'm-1', '--reason', 'r'], env),
    ]);
    for (const r of runs) {
      ok(r, 3);
      oneLine(r);
      assert.ok(r.stderr.includes(`cannot reach the DynamoDB endpoint ${dead}`), r.stderr);
      assert.is(r.stdout, '', show(r));
    }
  },
);

I('missing table: the table is named, exit 3', async (ctx) => {
  const env = dhEnv({ endpoint: ctx.t.endpoint, tableName: 'no-such-table-here' });
  const [history, failed, tail] = await Promise.all([
    runDh(['history', 'm-1'], env),
    runDh(['failed', '--since', '-1h', '--json'], env),
    runDh(['tail'], env),
  ]);
  for (const r of [history, failed, tail]) {
    ok(r, 3);
    oneLine(r);
    assert.match(r.stderr, /table "no-such-table-here" does not exist at the DynamoDB endpoint/);
  }
});

I('an endpoint that speaks HTTP but is not DynamoDB: exit 3, never "not found"', async (ctx) => {
  const html = await fakeServer(ctx, 404, '<html>not here</html>');
  const empty = await fakeServer(ctx, 200, '{}');
  for (const endpoint of [html, empty]) {
    const env = dhEnv({ endpoint, tableName: ctx.t.tableName });
    const [history, failed] = await Promise.all([
      runDh(['history', 'm-1'], env),
      runDh(['failed', '--since', '-1h'], env),
    ]);
    for (const r of [history, failed]) {
      ok(r, 3);
      oneLine(r);
      assert.match(r.stderr, /answered, but not as DynamoDB/);
      assert.not.match(r.stderr, /not found|no failed messages/);
    }
  }
});

I('a real table: a not-found stays exit 1 (the probe only speaks when the target is wrong)', async (ctx) => {
  const r = await runDh(
    ['history', 'no-such-message'],
    dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }),
  );
  ok(r, 1);
  assert.match(r.stderr, /not found/);
});

I.run();
