// `dh demo` end to end (a small run against the test DynamoDB Local), its closing console line
// (the command it prints shows the run), and its refusal to write demo traffic to a non-local
// table without --yes.
import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import * as assert from 'uvu/assert';
import { tableSuite } from '@delivery-history/testkit/suiteWith';
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import { collectDh, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { get, signIn, startConsole } from './console/consoleRig.js';

const Demo = tableSuite('dh demo', 'cli-demo');

Demo('a small demo delivers, projects, verifies, reports, exits 0', async ({ t }) => {
  const env = dhEnv({ endpoint: t.endpoint, tableName: t.tableName });
  const r = await runDh(['demo', '--messages', '27', '--json', '--progress', 'lines'], env, 180_000);
  assert.is(r.code, 0, show(r));
  const out = jsonOf<{
    summary: {
      messages: number;
      attempts: number;
      outcomes: Array<{ status: string; category: string; count: number }>;
      latencyMs: { p50: number | null };
    };
    interesting: { state: { messageId: string }; attempts: unknown[]; auditTrail: unknown[] } | null;
    verify: { ok: boolean; messages: number };
    deliberateFailures: Array<{ path: string; expect: string }>;
  }>(r);
  assert.is(out.summary.messages, 27);
  assert.ok(out.summary.attempts > 27, 'some deliveries were retried');
  // which failure categories show up depends on timing (a starved receiver can time out), so
  // only: most succeed, some fail for good, and in several different ways
  const categories = new Set(out.summary.outcomes.map((o) => o.category));
  const count = (status: string) =>
    out.summary.outcomes.filter((o) => o.status === status).reduce((n, o) => n + o.count, 0);
  assert.ok(categories.has('success') && categories.size >= 3, `categories: ${[...categories]}`);
  assert.ok(count('SUCCESS') > 27 / 2 && count('FAILED') > 0, JSON.stringify(out.summary.outcomes));
  assert.type(out.summary.latencyMs.p50, 'number');
  assert.ok(out.interesting !== null && out.interesting.attempts.length > 1);
  assert.is(out.interesting?.auditTrail.length, out.interesting?.attempts.length);
  assert.equal([out.verify.ok, out.verify.messages], [true, 27]);
  // the failures are said to be deliberate: the routes built to fail
  assert.equal(
    out.deliberateFailures.map((d) => d.path),
    ['/sleep/3000', '/status/500', '/status/404', '/reset', '/hook'],
  );
  assert.match(r.stderr, /deliveries: 27\/27 \(100%\)/);
});

Demo('the closing console line names this table, and the command it gives shows the run', async ({ t }) => {
  const env = dhEnv({ endpoint: t.endpoint, tableName: t.tableName });
  const r = await runDh(['demo', '--messages', '6', '--progress', 'lines'], env, 180_000);
  assert.is(r.code, 0, show(r));
  const look = /^Look: (pnpm dh console) \(table "([^"]+)" at (\S+), as this run;$/m.exec(r.stdout);
  assert.ok(look !== null, r.stdout);
  assert.is(look?.[2], t.tableName, 'the table the demo wrote');
  assert.is(look?.[3], t.endpoint, 'the endpoint it wrote to');
  const story = /^The story of (\S+) \(dh history/m.exec(r.stdout)?.[1];
  assert.ok(story !== undefined, r.stdout);
  // the printed command, as `pnpm dh` runs it, in the demo's own environment
  const words = (look?.[1] ?? '').split(' ');
  assert.equal(words.slice(0, 3), ['pnpm', 'dh', 'console']);
  const running = await startConsole(words.slice(3), env);
  try {
    const { cookie } = await signIn(running);
    const page = await get(running, `/messages/${encodeURIComponent(story ?? '')}`, cookie);
    assert.is(page.status, 200, page.text.slice(0, 300));
    assert.ok(page.text.includes(`dh history ${story}`), 'the story message, in the browser');
    const overview = await get(running, '/', cookie);
    const deliveries = Number(/<dd id="deliveries">(\d+)<\/dd>/.exec(overview.text)?.[1]);
    assert.ok(deliveries >= 6, `the run's deliveries on the overview: ${deliveries}`);
  } finally {
    await running.stop();
  }
});

Demo('a non-local table needs --yes (nothing is contacted)', async () => {
  const [aws, tableOnly] = await Promise.all([
    runDh(['demo'], dhEnv({ endpoint: 'https://dynamodb.eu-west-1.amazonaws.com', tableName: 'deliveries-prod' })),
    runDh(['demo'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DELIVERY_TABLE_NAME: 'deliveries-prod',
      AWS_REGION: 'eu-west-1',
    }),
  ]);
  for (const r of [aws, tableOnly]) {
    assert.is(r.code, 2, show(r));
    assert.match(r.stderr, /refusing to write demo traffic to table "deliveries-prod" .* without --yes/);
  }
});

Demo('Ctrl-C while delivering: stops claiming, waits a bounded time, one line, exit 130', async ({ t }) => {
  const dh = collectDh(
    ['demo', '--messages', '300', '--progress', 'none'],
    dhEnv({ endpoint: t.endpoint, tableName: t.tableName }),
  );
  const { child } = dh;
  const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  await waitFor(() => child.exitCode !== null || dh.out().includes('Delivering'), {
    what: 'the demo started delivering',
    progress: cpuOf(child.pid),
  });
  assert.ok(dh.out().includes('Delivering'), `the demo started delivering: ${dh.out()}${dh.err()}`);
  await sleep(1_500);
  const signalledAt = Date.now();
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(killer);
  const stopMs = Date.now() - signalledAt;
  const shown = `exit ${code} after ${stopMs} ms\n--- stdout ---\n${dh.out()}\n--- stderr ---\n${dh.err()}`;
  assert.is(code, 130, shown);
  const lines = dh
    .err()
    .split('\n')
    .filter((l) => l.startsWith('dh demo: interrupted'));
  assert.is(lines.length, 1, shown);
  assert.match(lines[0] ?? '', /stopped claiming: \d+ records handled.*, \d+ not delivered \(run demo-/);
  assert.not.match(dh.out(), /Invariants over this run/, 'no report after an interrupt');
  // grace 3 s, then the abort and the appends: well within the bound
  assert.ok(stopMs < 30_000, shown);
  // nothing this process claimed is left PROCESSING
  const processing: unknown[] = [];
  let from: Record<string, unknown> | undefined;
  do {
    const page = await t.doc.send(
      new ScanCommand({
        TableName: t.tableName,
        FilterExpression: 'sk = :s AND #st = :p',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':s': 'STATE', ':p': 'PROCESSING' },
        ExclusiveStartKey: from,
      }),
    );
    processing.push(...(page.Items ?? []));
    from = page.LastEvaluatedKey;
  } while (from !== undefined);
  assert.is(processing.length, 0, JSON.stringify(processing.slice(0, 3)));
});

Demo.run();
