// `dh verify` (the built binary) on provider tokens of the shapes issue 23 added: clean items
// pass (exit 0); a GitHub token and a Slack token planted into a stored attempt (kept header,
// snippet, reason phrase) make it exit 1 naming the item, the path and the shape, never the value.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableKeys } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TOKEN_SAMPLES } from '../../packages/core/test/support/tokenSamples.js';
import { projectAll } from '../../packages/cli/test/support/projectAll.js';
import { type DhResult, dhEnv, runDh, show } from '../../packages/cli/test/support/runDh.js';
import { seeder } from '../../packages/cli/test/support/seed.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const Verify = suite<Ctx>('secrets: dh verify flags provider tokens');

Verify.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-verify-cli');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date('2025-06-01T12:00:00.000Z'));
  await s.deliver({ messageId: 'tok-planted' }, ['503', '404']);
  await s.deliver({ messageId: 'tok-clean' }, ['ok']);
  await projectAll(ctx.t);
});
Verify.after(async (ctx) => ctx.t.drop());

const sample = (shape: string): string => {
  const s = TOKEN_SAMPLES.find((x) => x.shape === shape);
  if (s === undefined) throw new Error(`no sample of ${shape}`);
  return s.token;
};

const code = (r: DhResult, want: number) => assert.is(r.code, want, show(r));

Verify(
  'clean items pass; a GitHub token (kept header) and a Slack token (snippet, reason) planted fail it',
  async ({ t, env }) => {
    code(await runDh(['verify', '--message', 'tok-planted', '--message', 'tok-clean'], env), 0);
    const github = sample('GitHub token');
    const slack = sample('Slack token');
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: tableKeys.attemptKey('tok-planted', 2),
        UpdateExpression: 'SET #resp = :resp, #dr.#st = :st, #dr.#ed.#snip = :snip',
        ExpressionAttributeNames: {
          '#resp': 'response',
          '#dr': 'deliveryResult',
          '#st': 'statusText',
          '#ed': 'errorDetails',
          '#snip': 'responseSnippet',
        },
        ExpressionAttributeValues: {
          ':resp': { headers: { 'content-type': 'text/plain', 'x-request-id': github } },
          ':st': `Bad ${slack}`,
          ':snip': `{"error":"bad token","token":"${slack}"}`,
        },
      }),
    );
    const r = await runDh(['verify', '--message', 'tok-planted', '--message', 'tok-clean'], env);
    code(r, 1);
    const out = `${r.stdout}\n${r.stderr}`;
    assert.match(out, /ATTEMPT#000002 response\.headers\.x-request-id: GitHub token/);
    assert.match(out, /ATTEMPT#000002 deliveryResult\.statusText: Slack token/);
    assert.match(out, /ATTEMPT#000002 deliveryResult\.errorDetails\.responseSnippet: Slack token/);
    assert.not.ok(out.includes(github.slice(4)) || out.includes(slack.slice(5)), 'the values are not printed');
    assert.not.match(out, /tok-clean.*secrets/, 'the clean message is not blamed');
  },
);

Verify.run();
