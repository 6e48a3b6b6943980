import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gateOf, pauseBreaker, resumeBreaker, takeProbe } from '../src/breaker/breakerGate.js';
import { type BreakerObservation, observationOf } from '../src/breaker/breakerObservation.js';
import { DEFAULT_BREAKER_SETTINGS } from '../src/breaker/breakerSettings.js';
import { BreakerState, initialBreaker } from '../src/breaker/breakerState.js';
import { endpointEventsOf } from '../src/breaker/endpointEvents.js';
import { observeBreaker } from '../src/breaker/observeBreaker.js';
import { type Verdict, verdictOf, WINDOW_BUCKETS } from '../src/testing.js';
import { attempt, iso, result, T0 } from '@delivery-history/testkit/itemBuilders';

const ENDPOINT = 'hooks.example.com';
const S = DEFAULT_BREAKER_SETTINGS;
const fresh = () => initialBreaker(ENDPOINT, iso(0));

const obs = (i: number, verdict: Verdict, atMs = i * 1000): BreakerObservation => ({
  endpoint: ENDPOINT,
  messageId: `m-${i}`,
  at: iso(atMs),
  marker: `${iso(atMs)}#m-${i}#000001`,
  verdict,
});

const verdictArb = fc.constantFrom<Verdict>('ok', 'fail', 'fail', 'neutral');
const seqArb = fc.array(verdictArb, { maxLength: 120 }).map((vs) => vs.map((v, i) => obs(i + 1, v, i * 3_000)));

const Obs = suite('breaker: what counts');

Obs('only failures the outcome table calls retryable count against the endpoint', () => {
  assert.is(verdictOf(result('success', iso(0))), 'ok');
  assert.is(verdictOf(result('retry', iso(0), 503)), 'fail');
  assert.is(verdictOf(result('final', iso(0), 400)), 'neutral', 'a 400 is one bad message');
  assert.is(verdictOf(result('final', iso(0), 501)), 'neutral', 'permanent 5xx');
  // an exhausted 503 is not retryEligible, but it is still the endpoint failing
  assert.is(verdictOf({ ...result('retry', iso(0), 503), retryEligible: false }), 'fail');
  const refused = {
    ...result('retry', iso(0)),
    statusCode: null,
    category: 'network' as const,
    errorDetails: { code: 'ECONNREFUSED', message: 'x', category: 'network' as const, responseSnippet: null },
  };
  assert.is(verdictOf(refused), 'fail');
  const blocked = {
    ...refused,
    category: 'blocked_target' as const,
    errorDetails: { ...refused.errorDetails, code: 'BLOCKED_TARGET', category: 'blocked_target' as const },
  };
  assert.is(verdictOf(blocked), 'neutral');
  assert.is(verdictOf({ ...refused, category: 'lost' }), 'neutral', 'a lost attempt is the worker, not the endpoint');
});

Obs('an attempt is observed under the one endpoint identity, with a replay-proof marker', () => {
  const o = observationOf(attempt(3, 'retry', { messageId: 'm-9' }));
  assert.is(o.endpoint, ENDPOINT);
  assert.is(o.marker, `${iso(180_000)}#m-9#000003`);
  assert.is(o.verdict, 'fail');
});

Obs.run();

const Prop = suite('breaker: properties');

Prop('permanent failures alone never trip a closed breaker', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 300 }), (n) => {
      const os = Array.from({ length: n }, (_, i) => obs(i + 1, 'neutral'));
      const step = observeBreaker(fresh(), os, S);
      assert.is(step.state.mode, 'closed');
      assert.equal(step.transitions, []);
    }),
  );
});

Prop('a replayed batch changes nothing (observations are counted once)', () => {
  fc.assert(
    fc.property(seqArb, (os) => {
      const once = observeBreaker(fresh(), os, S);
      const again = observeBreaker(once.state, os, S);
      assert.is(again.changed, false);
      assert.equal(again.state, once.state);
      assert.equal(again.transitions, []);
    }),
  );
});

Prop('batching does not matter: one batch or any split in order gives the same breaker', () => {
  fc.assert(
    fc.property(seqArb, fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 30 }), (os, cuts) => {
      const whole = observeBreaker(fresh(), os, S);
      let state = fresh();
      const modes: string[] = [];
      let i = 0;
      for (const c of [...cuts, os.length]) {
        const step = observeBreaker(state, os.slice(i, i + c), S);
        modes.push(...step.transitions.map((t) => t.to));
        state = step.state;
        i += c;
        if (i >= os.length) break;
      }
      if (i < os.length) {
        const step = observeBreaker(state, os.slice(i), S);
        modes.push(...step.transitions.map((t) => t.to));
        state = step.state;
      }
      assert.equal({ ...state, version: 0 }, { ...whole.state, version: 0 });
      assert.equal(
        modes,
        whole.transitions.map((t) => t.to),
      );
    }),
  );
});

Prop('the state stays small and well-formed; the streak is the failures since the last success', () => {
  fc.assert(
    fc.property(seqArb, (os) => {
      const step = observeBreaker(fresh(), os, S);
      assert.ok(E.isRight(BreakerState.decode(step.state)));
      assert.ok(step.state.window.length <= WINDOW_BUCKETS);
      // ... not counting those seen while open (sent before the workers knew of the trip)
      let state = fresh();
      let streak = 0;
      for (const o of os) {
        if (o.verdict === 'ok') streak = 0;
        else if (o.verdict === 'fail' && state.mode !== 'open') streak += 1;
        state = observeBreaker(state, [o], S).state;
      }
      assert.is(step.state.streak, streak);
    }),
  );
});

Prop('a breaker leaves closed only on retryable failures, and reaches closed again only on a success', () => {
  fc.assert(
    fc.property(seqArb, (os) => {
      let state = fresh();
      for (const o of os) {
        const step = observeBreaker(state, [o], S);
        for (const t of step.transitions) {
          if (t.from === 'closed') assert.is(o.verdict, 'fail');
          if (t.to === 'closed') assert.is(o.verdict, 'ok');
        }
        state = step.state;
      }
    }),
  );
});

Prop.run();

const Gate = suite('breaker: gate, probe, pause, resume');

/** A worker takes the half-open probe with message `m-<i>` at `atMs`, and it fails. */
const probeAndFail = (state: BreakerState, i: number, atMs: number, s: typeof S) => {
  const probe = takeProbe(state, `m-${i}`, new Date(T0 + atMs), s);
  if (E.isLeft(probe)) throw new Error(`no probe at ${atMs} ms: ${JSON.stringify(probe.left)}`);
  return observeBreaker(probe.right.state, [obs(i, 'fail', atMs)], s);
};

const tripped = () =>
  observeBreaker(
    fresh(),
    [1, 2, 3, 4, 5].map((i) => obs(i, 'fail')),
    S,
  ).state;

Gate('open holds until the cool-off ends, then exactly one probe goes', () => {
  const s = tripped();
  assert.is(s.mode, 'open');
  assert.is(s.openUntil, iso(5_000 + 30_000));
  assert.equal(gateOf(s, iso(20_000)), { kind: 'hold', mode: 'open', reason: '5 consecutive retryable failures' });
  assert.equal(gateOf(s, iso(35_000)), { kind: 'probe' });
  const a = takeProbe(s, 'm-a', new Date(T0 + 35_000), S);
  assert.ok(E.isRight(a));
  if (E.isLeft(a)) return;
  assert.is(a.right.state.mode, 'half_open');
  assert.is(a.right.state.version, s.version + 1, 'the store conditions the take on the version it read');
  const b = takeProbe(a.right.state, 'm-b', new Date(T0 + 36_000), S);
  assert.ok(E.isLeft(b), 'a second worker holds while the probe is out');
  const c = takeProbe(a.right.state, 'm-c', new Date(T0 + 35_000 + S.probeLeaseMs), S);
  assert.ok(E.isRight(c), 'a probe whose worker vanished is taken again after its lease');
});

Gate('the probe decides: success closes, a retryable failure reopens with a longer cool-off', () => {
  const s = tripped();
  const probe = takeProbe(s, 'm-p', new Date(T0 + 40_000), S);
  if (E.isLeft(probe)) throw new Error('no probe');
  const ok = observeBreaker(probe.right.state, [{ ...obs(6, 'ok', 41_000), messageId: 'm-p' }], S);
  assert.is(ok.state.mode, 'closed');
  assert.is(ok.transitions[0]?.reason, 'probe succeeded');
  const bad = observeBreaker(probe.right.state, [{ ...obs(6, 'fail', 41_000), messageId: 'm-p' }], S);
  assert.is(bad.state.mode, 'open');
  assert.is(bad.state.openUntil, iso(41_000 + 60_000), 'cool-off doubled');
});

Gate('pause holds everything and ignores what it observes; resume closes with a clean slate', () => {
  const paused = pauseBreaker(fresh(), 'INC-7 maintenance', 'ops@example.com', iso(1000));
  assert.equal(gateOf(paused.state, iso(10 * 3_600_000)), {
    kind: 'hold',
    mode: 'paused',
    reason: 'INC-7 maintenance',
  });
  assert.equal(paused.transition.by, 'ops@example.com');
  const seen = observeBreaker(
    paused.state,
    Array.from({ length: 30 }, (_, i) => obs(i + 2, 'fail')),
    S,
  );
  assert.is(seen.state.mode, 'paused');
  assert.is(seen.state.streak, 30);
  const resumed = resumeBreaker(seen.state, 'done', 'ops@example.com', iso(60_000));
  assert.is(resumed.state.mode, 'closed');
  assert.is(resumed.state.streak, 0);
  assert.equal(resumed.transition, {
    endpoint: ENDPOINT,
    from: 'paused',
    to: 'closed',
    reason: 'done',
    by: 'ops@example.com',
    at: iso(60_000),
    version: resumed.state.version,
  });
});

Gate('failures sent before the workers knew of the trip neither extend the streak nor fail the probe', () => {
  // the projector's decision lag: hundreds of failures in flight when it trips
  const late = observeBreaker(
    tripped(),
    Array.from({ length: 300 }, (_, i) => obs(6 + i, 'fail', 5_000 + i * 10)),
    S,
  );
  assert.is(late.state.mode, 'open', 'not disabled (disable streak 100)');
  assert.is(late.state.streak, 5);
  assert.equal(late.warnings, [], 'no warning either');
  const probe = takeProbe(late.state, 'm-p', new Date(T0 + 40_000), S);
  if (E.isLeft(probe)) throw new Error('no probe');
  const other = observeBreaker(probe.right.state, [obs(400, 'fail', 40_050)], S);
  assert.is(other.state.mode, 'half_open', "another message's late failure is not the probe's");
  assert.is(other.state.streak, 5);
  const failed = observeBreaker(other.state, [{ ...obs(401, 'fail', 40_100), messageId: 'm-p' }], S);
  assert.is(failed.state.mode, 'open');
  assert.is(failed.transitions[0]?.reason, 'probe failed');
  assert.is(failed.state.streak, 6, 'the failed probe counts');
});

Gate('no breaker item yet means closed', () => {
  assert.equal(gateOf(null, iso(0)), { kind: 'deliver' });
});

Gate('operator events: opened, recovered, paused, resumed, disabled, warnings; stable ids', () => {
  const s = { ...S, disableStreak: 10 };
  const opened = observeBreaker(
    fresh(),
    [1, 2, 3, 4, 5].map((i) => obs(i, 'fail')),
    s,
  );
  const events = endpointEventsOf(opened.transitions, opened.warnings);
  assert.equal(
    events.map((e) => e.detailType),
    ['endpoint.opened', 'endpoint.warning'],
  );
  assert.equal(events[1]?.detail.warning, { level: 50, streak: 5, disableStreak: 10 });
  const again = endpointEventsOf(opened.transitions, opened.warnings);
  assert.equal(
    again.map((e) => e.detail.eventId),
    events.map((e) => e.detail.eventId),
    'same change, same id',
  );
  assert.is(new Set(events.map((e) => e.detail.eventId)).size, 2);
  const probe = takeProbe(opened.state, 'm-p', new Date(T0 + 60_000), s);
  if (E.isLeft(probe)) throw new Error('no probe');
  assert.equal(endpointEventsOf([probe.right.transition], []), [], 'open -> half_open is internal');
  const ok = observeBreaker(probe.right.state, [{ ...obs(7, 'ok', 61_000), messageId: 'm-p' }], s);
  assert.equal(
    endpointEventsOf(ok.transitions, []).map((e) => e.detailType),
    ['endpoint.recovered'],
  );
  const paused = pauseBreaker(ok.state, 'INC', 'ops', iso(70_000));
  const resumed = resumeBreaker(paused.state, 'done', 'ops', iso(80_000));
  assert.equal(
    endpointEventsOf([paused.transition, resumed.transition], []).map((e) => e.detailType),
    ['endpoint.paused', 'endpoint.resumed'],
  );
  // five failed probes more: the streak reaches the disable streak (10)
  let dead = opened.state;
  const deadEvents: ReturnType<typeof endpointEventsOf> = [];
  for (let i = 6; i <= 10; i++) {
    const step = probeAndFail(dead, i, i * 3_600_000, s);
    deadEvents.push(...endpointEventsOf(step.transitions, step.warnings));
    dead = step.state;
  }
  assert.is(dead.mode, 'disabled');
  assert.ok(deadEvents.some((e) => e.detailType === 'endpoint.disabled'));
});

Gate('warnings at 50, 70 and 90 % of the disable streak, once each per streak, then disabled; payloads and ids', () => {
  const s = { ...S, disableStreak: 20, coolOffMaxMs: 60_000 };
  // one failure per observation batch, as the projector sees them: 5 trip it, then one failed
  // probe a minute (the cool-off is at most a minute here): the streak climbs to 20
  let state = fresh();
  const events: ReturnType<typeof endpointEventsOf> = [];
  for (let i = 1; i <= 20; i++) {
    const step =
      i <= 5 ? observeBreaker(state, [obs(i, 'fail', i * 60_000)], s) : probeAndFail(state, i, i * 60_000, s);
    events.push(...endpointEventsOf(step.transitions, step.warnings));
    state = step.state;
  }
  const warnings = events.filter((e) => e.detailType === 'endpoint.warning');
  assert.equal(
    warnings.map((e) => e.detail.warning),
    [
      { level: 50, streak: 10, disableStreak: 20 },
      { level: 70, streak: 14, disableStreak: 20 },
      { level: 90, streak: 18, disableStreak: 20 },
    ],
  );
  assert.equal(
    warnings.map((e) => [e.detail.endpoint, e.detail.by, e.detail.from, e.detail.to]),
    warnings.map(() => [ENDPOINT, 'breaker', null, null]),
  );
  assert.match(
    warnings[2]?.detail.reason ?? '',
    /18 consecutive retryable failures: 90 % of the disable streak \(20\)/,
  );
  assert.is(new Set(events.map((e) => e.detail.eventId)).size, events.length, 'every event its own id');
  assert.equal(
    events.map((e) => e.detailType).filter((t) => t !== 'endpoint.warning'),
    ['endpoint.opened', 'endpoint.disabled'],
  );
  assert.is(state.mode, 'disabled');
  // a success resets the streak: the next streak warns again from 50 %
  const resumed = resumeBreaker(state, 'fixed', 'ops', iso(30 * 60_000));
  let again = resumed.state;
  const later: ReturnType<typeof endpointEventsOf> = [];
  for (let i = 31; i <= 40; i++) {
    const step =
      i <= 35 ? observeBreaker(again, [obs(i, 'fail', i * 60_000)], s) : probeAndFail(again, i, i * 60_000, s);
    later.push(...endpointEventsOf(step.transitions, step.warnings));
    again = step.state;
  }
  assert.equal(
    later.filter((e) => e.detailType === 'endpoint.warning').map((e) => e.detail.warning?.level),
    [50],
  );
});

Gate.run();
