// Provider tokens in a receiver's own answer (issue 23), one named test per shape: the real
// worker handler delivers to a receiver on 127.0.0.1 that puts the token into its body, its
// reason phrase and every kept response header that can carry it (server, x-request-id,
// x-correlation-id, the Location query); afterwards no stored item and no log line holds
// it, and core's findSecrets (what `dh verify` runs) flags it once planted in an item.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findSecrets, redaction } from '@delivery-history/core';
import * as assert from 'uvu/assert';
import { SHAPES, TOKEN_SAMPLES, type TokenSample } from '../../packages/core/test/support/tokenSamples.js';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { logLines, type SecretsRig, scanTable, verifyFindings, secretsSuite } from './secretsRig.js';

// ---------------------------------------------------------------------------
// a receiver that answers each path with its planted token everywhere
// ---------------------------------------------------------------------------

type PlantingReceiver = {
  readonly port: number;
  /** Path -> token; the receiver answers 401 with the token in every part it controls. */
  readonly plants: Map<string, string>;
  /** Paths answered. */
  readonly answered: string[];
  close(): Promise<void>;
};

const startPlantingReceiver = async (): Promise<PlantingReceiver> => {
  const plants = new Map<string, string>();
  const answered: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      const t = plants.get(path) ?? 'nothing';
      answered.push(path);
      const body = `Unauthorized.\ntoken: ${t}\n${JSON.stringify({ error: 'invalid_token', token: t })}\n`;
      res.writeHead(401, `Bad ${t}`, {
        'content-type': 'text/plain; charset=utf-8',
        server: `edge/1.4 (${t})`,
        'x-request-id': t,
        'x-correlation-id': `corr ${t}`,
        location: `https://app.example/cb?next=${encodeURIComponent(t)}&page=2`,
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    plants,
    answered,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

type Ctx = { t: TestTable; rx: PlantingReceiver; rig: SecretsRig };
const Tokens = secretsSuite(
  'secrets: provider tokens in a receiver answer, through the worker',
  'secrets-tokens',
  startPlantingReceiver,
);

/** A 10-character piece of the secret part left in `text` (as is or percent-encoded); null when none. */
const leftover = (text: string, s: TokenSample): string | null => {
  const secret = s.token.slice(s.prefix.length);
  for (let i = 0; i + 10 <= secret.length; i++) {
    const piece = secret.slice(i, i + 10);
    if (text.includes(piece) || text.includes(encodeURIComponent(piece))) return piece;
  }
  return null;
};

/** The parts of a stored ATTEMPT item this test reads and plants into. */
type StoredAttempt = Record<string, unknown> & {
  response?: { headers?: Record<string, string> };
  deliveryResult?: Record<string, unknown> & {
    statusText?: string;
    errorDetails?: Record<string, unknown> & { responseSnippet?: string };
  };
};

const deliver = async (ctx: Ctx, samples: ReadonlyArray<TokenSample>): Promise<string[]> => {
  const ids = samples.map(() => uniqueId('tok'));
  for (const [i, s] of samples.entries()) ctx.rx.plants.set(`/plant/${ids[i]}`, s.token);
  const records = ids.map((id) =>
    sqsRecord({ messageId: id, url: `http://127.0.0.1:${ctx.rx.port}/plant/${id}`, body: '{"e":1}', maxAttempts: 1 }),
  );
  await ctx.rig.handler(sqsEvent(records));
  return ids;
};

for (const shape of SHAPES) {
  Tokens(
    `${shape}: not stored from snippet, reason phrase, server, x-request-id, x-correlation-id, Location; flagged when planted`,
    async (ctx) => {
      const samples = TOKEN_SAMPLES.filter((s) => s.shape === shape);
      const ids = await deliver(ctx, samples);
      for (const id of ids) assert.ok(ctx.rx.answered.includes(`/plant/${id}`), `the receiver answered ${id}`);
      const items = (await scanTable(ctx.t)).filter((i) => ids.some((id) => i.pk === `MSG#${id}`));
      assert.is(items.length, 2 * ids.length, 'a STATE and an ATTEMPT per message');
      const logs = logLines(ctx.rig.logger).join('\n');
      for (const [i, s] of samples.entries()) {
        const mine = items.filter((it) => it.pk === `MSG#${ids[i]}`);
        const stored = JSON.stringify(mine);
        const piece = leftover(stored, s);
        assert.is(
          piece,
          null,
          `${shape} stored: ...${stored.slice(Math.max(0, stored.indexOf(piece ?? '') - 80), stored.indexOf(piece ?? '') + 20)}`,
        );
        assert.is(leftover(logs, s), null, `${shape} logged`);
        // the answer did arrive, scrubbed: its parts are there with the marker in place of the secret
        const attempt = mine.find((it) => String(it.sk).startsWith('ATTEMPT#')) as StoredAttempt | undefined;
        const snippet = String(attempt?.deliveryResult?.errorDetails?.responseSnippet ?? '');
        assert.ok(snippet.includes('Unauthorized.') && snippet.includes(redaction.REDACTED), snippet);
        assert.ok(String(attempt?.deliveryResult?.statusText ?? '').startsWith('Bad '), 'reason phrase kept');
        const headers = (attempt?.response?.headers ?? {}) as Record<string, string>;
        for (const h of ['server', 'x-request-id', 'x-correlation-id', 'location'])
          assert.ok(headers[h]?.includes(redaction.REDACTED), `${h}: ${headers[h]}`);
        assert.equal(verifyFindings(mine, ctx.rig.secrets), [], 'verify is clean on what the worker stored');
        // planted into the stored attempt (as an older writer would have left it): flagged by name
        const planted = {
          ...attempt,
          response: { headers: { ...headers, server: `edge/1.4 (${s.token})`, 'x-request-id': s.token } },
          deliveryResult: {
            ...attempt?.deliveryResult,
            statusText: `Bad ${s.token}`,
            errorDetails: { ...attempt?.deliveryResult?.errorDetails, responseSnippet: `token: ${s.token}` },
          },
        };
        const found = findSecrets(planted, ctx.rig.secrets)
          .filter((f) => f.pattern === shape)
          .map((f) => f.path)
          .sort();
        assert.equal(
          found,
          [
            'deliveryResult.errorDetails.responseSnippet',
            'deliveryResult.statusText',
            'response.headers.server',
            'response.headers.x-request-id',
          ],
          `${shape} (${s.prefix}...) flagged where planted`,
        );
      }
    },
  );
}

Tokens.run();
