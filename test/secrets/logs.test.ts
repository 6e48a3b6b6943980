// Logs under invariant 9, through the real worker handler: decode-error reasons do not echo
// secrets, and a huge correlationId cannot blow a log line past CloudWatch's event limit.
import { MAX_LOG_LINE_BYTES } from '@delivery-history/core/testing';
import * as assert from 'uvu/assert';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { logLines, startEchoReceiver, secretsSuite } from './secretsRig.js';

const Logs = secretsSuite('secrets: log lines', 'secrets-logs', startEchoReceiver);

const CLOUDWATCH_EVENT_BYTES = 256 * 1024;

Logs(
  'decode-error reasons at ERROR: an array-valued authorization, a bad-scheme URL with its query, a wrong-typed root',
  async (ctx) => {
    const s = ['ArrayAuth0Secret0aaaaaa', 'SchemeUrl0Secret0bbbbbb', 'RootArray0Secret0cccccc'];
    const before = ctx.rig.logger.entries.length;
    const bodies = [
      {
        messageId: uniqueId('bad'),
        url: `http://127.0.0.1:${ctx.rx.port}/x`,
        headers: { authorization: [`Bearer ${s[0]}`] },
      },
      { messageId: uniqueId('bad'), url: `ftp://files.example.com/in?token=${s[1]}&page=1` },
      [{ authorization: `Bearer ${s[2]}`, url: `https://u:${s[2]}@x.example/` }],
    ];
    const out = await ctx.rig.handler(sqsEvent(bodies.map((b) => sqsRecord(b))));
    assert.is(out.batchItemFailures.length, 3, 'poison records fail');
    const lines = logLines(ctx.rig.logger).slice(before);
    const errors = lines.filter((l) => l.includes('undecodable'));
    assert.is(errors.length, 3, lines.join('\n'));
    for (const line of lines) for (const secret of s) assert.not.ok(line.includes(secret), `${secret} in ${line}`);
    assert.ok(
      errors.some((l) => l.includes('.headers.authorization')),
      'the path is still named',
    );
    assert.ok(
      errors.some((l) => l.includes('page=1')),
      'harmless query kept',
    );
  },
);

Logs(
  'a record with a 1 MiB correlationId writes bounded lines, the correlationId is not a log key as is',
  async (ctx) => {
    const before = ctx.rig.logger.entries.length;
    const huge = `c${'x'.repeat(1024 * 1024)}`;
    await ctx.rig.handler(
      sqsEvent([
        sqsRecord({ messageId: uniqueId('huge'), url: `http://127.0.0.1:${ctx.rx.port}/x`, correlationId: huge }),
      ]),
    );
    const lines = logLines(ctx.rig.logger).slice(before);
    assert.ok(lines.length > 0);
    const total = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
    for (const l of lines)
      assert.ok(Buffer.byteLength(l) < Math.min(MAX_LOG_LINE_BYTES + 4096, CLOUDWATCH_EVENT_BYTES), `${l.length}`);
    assert.ok(total < 64 * 1024, `${total} bytes of log lines`);
    const keyed = ctx.rig.logger.entries.slice(before).map((e) => String(e.attributes.correlationId ?? ''));
    assert.ok(
      keyed.some((k) => /^invalid\(\d+ bytes, sha256:[0-9a-f]{12}\)$/.test(k)),
      keyed.join(),
    );
  },
);

Logs.run();
