// Invariant 10 end to end (issue 23): a hostile receiver (raw TCP on 127.0.0.1, so any byte can
// be sent) answers the real worker handler with terminal attacks in its body, its reason phrase
// and its kept headers; the projector builds the trails; what the input edge refuses (a hostile
// correlationId, request header values) is planted into the stored items directly, as an older
// writer could have left it. Then every `dh` view that shows stored text runs (built binary,
// piped) in table, tsv and json form: stdout and stderr carry no C0 but newline and tab, no DEL,
// no C1, no bidi control and no zero-width character, and the text is still visible escaped.
// Then, in a tmux pane: `dh history X --attempt 1` and `dh failed` leave the pane title, the
// clipboard buffers and what was on the screen before unchanged.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type RawServer, rawResponse, startRawServer } from '@delivery-history/testkit/rawHttpServer';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import { secretsRig } from '../../../test/secrets/secretsRig.js';
import { sqsEvent, sqsRecord, uniqueId } from '../../worker/test/support/workerRig.js';
import { projectAll } from './support/projectAll.js';
import { BIN, collectDh, type DhResult, dhEnv, ensureBuilt, runDh, show } from './support/runDh.js';
import { exportLines, shellQuote, tmuxServer } from './support/tmux.js';

// ---------------------------------------------------------------------------
// what a hostile receiver sends
// ---------------------------------------------------------------------------

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const TITLE = `${ESC}]0;PWNED-TITLE${BEL}`;
const TITLE_ST = `${ESC}]2;PWNED-TITLE2${ST}`;
// OSC 52: write "echo pwned" (base64) into the clipboard
const CLIP = `${ESC}]52;c;ZWNobyBwd25lZA==${BEL}`;
const LINK = `${ESC}]8;;https://evil.example/${ST}click${ESC}]8;;${ST}`;
const OVERWRITE = 'FAILED\rSUCCESS  \b\b';
const CSI8 = '\u009b2J';
const BIDI = 'a\u202eb\u2066c\u2067d\u2068e\u2069f\u200eg\u200fh\u061ci';
const ZW = 'z\u200bw\u200cs\u200dj\u2060x\ufeffy';
const ALL = `${CLEAR}${TITLE}${TITLE_ST}${CLIP}${LINK} ${OVERWRITE} ${CSI8} ${BIDI} ${ZW} l\u2028p\u2029 del\u007f`;
/** The producer's request body (stored as sent, shown by `--attempt`). */
const BODY = `{"e":1}\n${TITLE}${BIDI}`;
/** An unterminated OSC at the end: it would swallow what follows (the next row) into a title. */
const UNTERMINATED = `${ESC}]0;swallow`;

const RECIPES = {
  // a 500 with everything in its body
  body: rawResponse(
    '500 Internal Server Error',
    ['content-type: text/plain; charset=utf-8', 'server: edge'],
    `error page\n\t${ALL}\r\nend ${UNTERMINATED}`,
  ),
  // the same through the reason phrase (bytes as sent; C1 and bidi arrive as their UTF-8 bytes)
  reason: Buffer.concat([
    // (no CR: HTTP itself ends the status line there)
    Buffer.from(`HTTP/1.1 503 Busy ${TITLE}${CLEAR}SUCCESS\b\b `, 'latin1'),
    Buffer.from(`${CSI8}${BIDI}${UNTERMINATED}\r\n`, 'utf8'),
    Buffer.from('content-length: 4\r\nconnection: close\r\n\r\nbusy', 'latin1'),
  ]),
} as const;

// ---------------------------------------------------------------------------
// the rule a face must keep
// ---------------------------------------------------------------------------

// C0 but newline and tab, DEL, C1, bidi controls, zero-width characters, U+2028/2029.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this test's job
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/u;

const terminalSafe = (r: DhResult, what: string): void => {
  for (const [name, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    const m = UNSAFE.exec(text);
    assert.is(
      m,
      null,
      `${what}: ${name} carries U+${(m?.[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 20))}`,
    );
  }
};

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

type Ctx = {
  t: TestTable;
  raw: RawServer;
  env: NodeJS.ProcessEnv;
  ids: { body: string; reason: string };
  corr: string;
};
const H = suite<Ctx>('dh on hostile stored text (invariant 10)');

const deliver = async (ctx: Ctx, key: keyof typeof RECIPES, id: string, correlationId: string): Promise<void> => {
  const rig = secretsRig(ctx.t, {});
  const r = await rig.handler(
    sqsEvent([sqsRecord({ messageId: id, url: ctx.raw.url(key), body: BODY, correlationId, maxAttempts: 1 })]),
  );
  assert.equal(r.batchItemFailures, [], `delivered ${id}`);
};

/** What the input edge refuses, as an older writer could have left it in the table. */
const plant = async (ctx: Ctx, id: string): Promise<void> => {
  await ctx.t.doc.send(
    new UpdateCommand({
      TableName: ctx.t.tableName,
      Key: { pk: `MSG#${id}`, sk: 'STATE' },
      UpdateExpression: 'SET correlationId = :c',
      ExpressionAttributeValues: { ':c': `corr${TITLE}${BIDI}` },
    }),
  );
  await ctx.t.doc.send(
    new UpdateCommand({
      TableName: ctx.t.tableName,
      Key: { pk: `MSG#${id}`, sk: 'ATTEMPT#000001' },
      // headers as stored and as sent (the view shows the latter when the attempt has them)
      UpdateExpression: 'SET #rq.headers = :h, #rq.sentHeaders = :h, #rs.headers = :k',
      ExpressionAttributeNames: { '#rq': 'request', '#rs': 'response' },
      ExpressionAttributeValues: {
        ':h': { 'content-type': 'application/json', [`x-name${ESC}[2J`]: `value${CLIP}${ZW}` },
        ':k': { server: `edge${TITLE}`, 'x-request-id': `req${BIDI}`, location: `https://x.example/${LINK}` },
      },
    }),
  );
};

H.before(async (ctx) => {
  ensureBuilt();
  ctx.t = await useTestTable('cli-hostile');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.raw = await startRawServer();
  for (const [key, bytes] of Object.entries(RECIPES))
    ctx.raw.define(key, { steps: [{ bytes, delayMs: 0 }], end: 'close' });
  ctx.ids = { body: uniqueId('hostile-body'), reason: uniqueId('hostile-reason') };
  ctx.corr = uniqueId('corr');
  await deliver(ctx, 'body', ctx.ids.body, ctx.corr);
  await deliver(ctx, 'reason', ctx.ids.reason, ctx.corr);
  await plant(ctx, ctx.ids.body);
  await projectAll(ctx.t);
});

H.after(async ({ t, raw }) => {
  await raw.close();
  await t.drop();
});

H('the hostile text was stored as received (evidence), through the real worker', async (ctx) => {
  const r = await runDh(['history', ctx.ids.body, '--attempt', '1', '--json'], ctx.env);
  assert.is(r.code, 0, show(r));
  const doc = JSON.parse(r.stdout) as { deliveryResult: { errorDetails: { responseSnippet: string } } };
  assert.ok(doc.deliveryResult.errorDetails.responseSnippet.includes(TITLE), 'the snippet keeps the raw bytes');
  assert.ok(doc.deliveryResult.errorDetails.responseSnippet.includes('\u202e'));
  const reason = await runDh(['history', ctx.ids.reason, '--json'], ctx.env);
  assert.ok(JSON.parse(reason.stdout).state.deliveryResult.statusText.includes(ESC), 'the reason phrase kept its ESC');
});

/** Every view that shows stored text, in each form it has. */
const views = (ctx: Ctx): Array<[string, string[]]> => {
  const host = new URL(ctx.raw.url('body')).host;
  const forms = (args: string[], tsv: boolean): Array<[string, string[]]> => [
    [args.join(' '), args],
    ...(tsv ? ([[`${args.join(' ')} -o tsv`, [...args, '-o', 'tsv']]] as Array<[string, string[]]>) : []),
    [`${args.join(' ')} --json`, [...args, '--json']],
  ];
  return [
    ...forms(['history', ctx.ids.body], false),
    ...forms(['history', ctx.ids.reason], false),
    ...forms(['history', ctx.ids.body, '--attempt', '1'], false),
    ...forms(['history', ctx.ids.reason, '--attempt', '1'], false),
    ...forms(['failed', '--since', '-1h'], true),
    ...forms(['correlation', ctx.corr], true),
    ...forms(['endpoint', host, '--since', '-1h'], true),
    ...forms(['endpoints'], false),
    ...forms(
      [
        'replay',
        'redrive',
        '--message',
        ctx.ids.body,
        '--message',
        ctx.ids.reason,
        '--reason',
        `why${TITLE}`,
        '--dry-run',
      ],
      false,
    ),
    ...forms(['verify'], false),
  ];
};

H('every view, in table, tsv and json form: terminal-safe stdout and stderr', async (ctx) => {
  for (const [what, args] of views(ctx)) {
    const r = await runDh(args, ctx.env);
    assert.ok(r.code === 0 || r.code === 1, `${what}: ${show(r)}`);
    terminalSafe(r, what);
    if (args.includes('--json')) JSON.parse(r.stdout);
  }
});

H('the text is still there to read, escaped', async (ctx) => {
  const one = await runDh(['history', ctx.ids.body, '--attempt', '1'], ctx.env);
  for (const shown of [
    '\\x1b[2J',
    '\\x1b]0;PWNED-TITLE\\x07',
    '\\x1b]52;c;ZWNobyBwd25lZA==\\x07',
    '\\x1b]8;;https://evil.example/\\x1b\\',
    'FAILED\\rSUCCESS',
    '\\x08',
    '\\x9b2J',
    'a<U+202E>b<U+2066>c',
    'z<U+200B>w',
    'del\\x7f',
    'x-name\\x1b[2J:',
    'edge\\x1b]0;PWNED-TITLE\\x07',
    'reqa<U+202E>b',
    '{"e":1}\n\\x1b]0;PWNED-TITLE\\x07a<U+202E>b',
  ])
    assert.ok(one.stdout.includes(shown), `--attempt shows ${shown}:\n${one.stdout}`);
  assert.ok(one.stdout.includes('error page\n\t'), 'the snippet keeps its newline and tab');
  const history = await runDh(['history', ctx.ids.body], ctx.env);
  assert.ok(history.stdout.includes('corr\\x1b]0;PWNED-TITLE\\x07a<U+202E>b'), history.stdout);
  const failed = await runDh(['failed', '--since', '-1h', '-o', 'tsv'], ctx.env);
  const rows = failed.stdout.trimEnd().split('\n');
  assert.is(rows.length, 3, `a header and one line per message (nothing swallowed):\n${failed.stdout}`);
  assert.ok(
    rows.every((l) => l.split('\t').length === rows[0]?.split('\t').length),
    'no field split by a tab',
  );
  assert.ok(failed.stdout.includes('Busy \\x1b]0;PWNED-TITLE\\x07'), failed.stdout);
  const json = await runDh(['failed', '--since', '-1h', '--json'], ctx.env);
  assert.ok(json.stdout.includes('\\u009b2J') && json.stdout.includes('\\u202e'), 'json: C1 and bidi as \\uXXXX');
});

H('a usage error echoes its input escaped', async (ctx) => {
  const r = await runDh(['correlation', `x${TITLE}`], ctx.env);
  terminalSafe(r, 'dh correlation <hostile id>');
  const unknown = await runDh([`his${CLEAR}tory`], ctx.env);
  assert.is(unknown.code, 2, show(unknown));
  terminalSafe(unknown, 'an unknown command');
  assert.ok(unknown.stderr.includes('his\\x1b[2J\\x1b[Htory'), unknown.stderr);
});

H('dh tail (table and --json): a hostile attempt as it arrives is shown escaped', async (ctx) => {
  for (const json of [false, true]) {
    const { child, out, err } = collectDh(json ? ['tail', '--json'] : ['tail'], ctx.env);
    const tailShows = (cond: () => boolean, what: string) =>
      waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`tail exited before it ${what}`);
          return cond();
        },
        { what: `tail ${what}`, progress: cpuOf(child.pid), everyMs: 100, detail: () => `${out()}\n${err()}` },
      );
    await tailShows(() => err().includes('following new attempts'), 'started');
    const id = uniqueId('hostile-tail');
    await deliver(ctx, 'reason', id, uniqueId('corr'));
    await tailShows(() => out().includes(id), `showed ${id}`);
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGINT');
    await closed;
    terminalSafe({ code: 0, stdout: out(), stderr: err(), ms: 0 }, `tail${json ? ' --json' : ''}`);
    assert.ok(out().includes(json ? '\\u001b]0;PWNED-TITLE\\u0007' : '\\x1b]0;PWNED-TITLE\\x07'), out());
  }
});

// ---------------------------------------------------------------------------
// tmux: what a terminal does with it
// ---------------------------------------------------------------------------

const tmux = tmuxServer(`dh-hostile-test-${process.pid}`);

H('tmux: --attempt and failed leave the pane title, the clipboard and the earlier screen alone', async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'dh-hostile-'));
  try {
    // a pager that shows what it gets as is (`cat` alone would turn paging off): the answer
    // goes through the pager's pipe, which must be behind the output rule too
    const env = exportLines(ctx.env, { DH_PAGER: 'cat -u' });
    const dh = (args: string[]) => [process.execPath, BIN, ...args].map(shellQuote).join(' ');
    const path = join(dir, 'run.sh');
    writeFileSync(
      path,
      [
        ...env,
        'echo BEFORE-MARKER-LINE',
        dh(['history', ctx.ids.body, '--attempt', '1']),
        dh(['history', ctx.ids.reason, '--attempt', '1']),
        dh(['failed', '--since', '-1h']),
        dh(['history', ctx.ids.body]),
        'echo "done=$?"',
        'sleep 120',
      ].join('\n'),
    );
    // OSC 52 reaches tmux's buffers only with set-clipboard on; allow-rename lets OSC 0/2 rename
    tmux('new-session', '-d', '-s', 'keep', '-x', '100', '-y', '50', 'sleep 600');
    tmux('set-option', '-g', 'set-clipboard', 'on');
    tmux('set-option', '-g', 'allow-rename', 'on');
    tmux('new-session', '-d', '-s', 'hostile', '-x', '100', '-y', '50', `sh ${shellQuote(path)}`);
    const titleBefore = tmux('display-message', '-p', '-t', 'hostile', '#{pane_title}');
    const deadline = Date.now() + 120_000;
    let screen = '';
    while (!/done=\d+/.test(screen)) {
      if (Date.now() > deadline) throw new Error(`the pane never finished:\n${screen}`);
      await sleep(200);
      screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'hostile');
    }
    assert.not.ok(tmux('display-message', '-p', '-t', 'hostile', '#{pane_title}').includes('PWNED'), 'title unchanged');
    assert.is(tmux('display-message', '-p', '-t', 'hostile', '#{pane_title}'), titleBefore);
    assert.not.ok(tmux('display-message', '-p', '-t', 'hostile', '#{window_name}').includes('PWNED'));
    assert.is(tmux('list-buffers'), '', 'no clipboard write reached tmux');
    assert.ok(screen.includes('BEFORE-MARKER-LINE'), `the screen before the commands is still there:\n${screen}`);
    assert.ok(screen.includes(ctx.ids.reason) && screen.includes(ctx.ids.body), 'both rows listed, none swallowed');
    assert.not.match(screen, /^SUCCESS/m, 'a CR cannot turn FAILED into SUCCESS');
    // the control: the same bytes printed raw do change the title (so the assertions above can fail)
    writeFileSync(join(dir, 'raw.sh'), `printf '%s' ${shellQuote(TITLE + CLIP)}\nsleep 120\n`);
    tmux('new-session', '-d', '-s', 'control', '-x', '100', '-y', '50', `sh ${shellQuote(join(dir, 'raw.sh'))}`);
    const until = Date.now() + 30_000;
    while (!tmux('display-message', '-p', '-t', 'control', '#{pane_title}').includes('PWNED')) {
      if (Date.now() > until) throw new Error('the control pane never took the title: the check cannot fail');
      await sleep(200);
    }
    assert.ok(tmux('list-buffers') !== '', 'the control wrote the clipboard');
  } finally {
    tmux.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

H.run();
