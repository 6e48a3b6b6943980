// The breaker in simulated time: a worker gate, the half-open take and the projector's
// observation, one message at a time, against an endpoint whose health is a function of time.
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gateOf, takeProbe } from '../src/breaker/breakerGate.js';
import type { BreakerObservation } from '../src/breaker/breakerObservation.js';
import { type BreakerSettings, DEFAULT_BREAKER_SETTINGS } from '../src/breaker/breakerSettings.js';
import { type BreakerState, type BreakerTransition, initialBreaker } from '../src/breaker/breakerState.js';
import { observeBreaker } from '../src/breaker/observeBreaker.js';
import { T0 } from '@delivery-history/testkit/itemBuilders';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ENDPOINT = 'hooks.example.com';

interface Run {
  readonly transitions: BreakerTransition[];
  readonly sent: number;
  readonly held: number;
  readonly state: BreakerState;
}

/** One message every `everyMs` for `forMs`; `up(t)` says whether the endpoint answers 2xx. */
const simulate = (s: BreakerSettings, everyMs: number, forMs: number, up: (t: number) => boolean): Run => {
  let state = initialBreaker(ENDPOINT, new Date(T0).toISOString());
  const transitions: BreakerTransition[] = [];
  let sent = 0;
  let held = 0;
  for (let t = 0, n = 1; t < forMs; t += everyMs, n += 1) {
    const now = new Date(T0 + t);
    const messageId = `m-${n}`;
    const gate = gateOf(state, now.toISOString());
    if (gate.kind === 'hold') {
      held += 1;
      continue;
    }
    if (gate.kind === 'probe') {
      const took = takeProbe(state, messageId, now, s);
      if (E.isLeft(took)) {
        held += 1;
        continue;
      }
      state = took.right.state;
      transitions.push(took.right.transition);
    }
    sent += 1;
    const at = new Date(T0 + t + 50).toISOString();
    const o: BreakerObservation = {
      endpoint: ENDPOINT,
      messageId,
      at,
      marker: `${at}#${messageId}#000001`,
      verdict: up(t) ? 'ok' : 'fail',
    };
    const step = observeBreaker(state, [o], s);
    state = step.state;
    transitions.push(...step.transitions);
  }
  return { transitions, sent, held, state };
};

const inHour = (ts: ReadonlyArray<BreakerTransition>, h: number): number =>
  ts.filter((x) => Date.parse(x.at) >= T0 + h * HOUR && Date.parse(x.at) < T0 + (h + 1) * HOUR).length;

const Sim = suite('breaker in simulated time');

const flapping = (t: number): boolean => Math.floor(t / MINUTE) % 2 === 0;

Sim('a flapping endpoint (alternating minutes) makes a bounded number of transitions per hour', () => {
  const run = simulate(DEFAULT_BREAKER_SETTINGS, 2_000, 4 * HOUR, flapping);
  const perHour = [0, 1, 2, 3].map((h) => inHour(run.transitions, h));
  // the cool-off doubles up to 15 min while the endpoint keeps relapsing: at most 4 cycles of
  // open -> half_open -> closed|open an hour, 3 transitions each
  for (const [h, n] of perHour.entries()) assert.ok(n <= 12 + (h === 0 ? 10 : 0), `hour ${h}: ${n} transitions`);
  assert.ok(perHour[3] !== undefined && perHour[3] >= 4, `it keeps probing (${perHour[3]} in hour 3)`);
  assert.ok(run.held > run.sent, `most deliveries are held, not sent into a down minute (${run.held} / ${run.sent})`);
});

Sim('without the growing cool-off the same endpoint flaps many times an hour (the bound above is hysteresis)', () => {
  const run = simulate({ ...DEFAULT_BREAKER_SETTINGS, coolOffFactor: 1 }, 2_000, 4 * HOUR, flapping);
  assert.ok(inHour(run.transitions, 3) > 40, `${inHour(run.transitions, 3)} transitions in hour 3`);
});

Sim('a stable close resets the cool-off: an endpoint that fails once a day starts again at 30 s', () => {
  const s = DEFAULT_BREAKER_SETTINGS;
  const up = (t: number): boolean => !(t < 2 * MINUTE) && !(t >= 3 * HOUR && t < 3 * HOUR + 2 * MINUTE);
  const run = simulate(s, 5_000, 4 * HOUR, up);
  const opens = run.transitions.filter((x) => x.from === 'closed' && x.to === 'open');
  assert.is(opens.length, 2, 'two outages, two trips');
  const probeAfter = (open: BreakerTransition | undefined): number => {
    const probe = run.transitions.find((x) => open !== undefined && x.to === 'half_open' && x.at > open.at);
    return probe === undefined || open === undefined ? Number.NaN : Date.parse(probe.at) - Date.parse(open.at);
  };
  // the first probe waits the base cool-off (30 s, then the next 5 s tick) after both trips
  assert.ok(probeAfter(opens[0]) <= 35_000, `first outage: ${probeAfter(opens[0])} ms`);
  assert.ok(probeAfter(opens[1]) <= 35_000, `second outage, after a stable close: ${probeAfter(opens[1])} ms`);
  assert.is(run.state.mode, 'closed');
});

Sim('a low-traffic endpoint (one delivery a minute) trips on the streak', () => {
  const run = simulate(DEFAULT_BREAKER_SETTINGS, MINUTE, HOUR, () => false);
  const first = run.transitions[0];
  assert.ok(first !== undefined);
  assert.is(first.to, 'open');
  assert.match(first.reason, /5 consecutive retryable failures/);
  assert.is(Date.parse(first.at) - T0, 4 * MINUTE + 50, 'the 5th failed delivery trips it');
});

Sim('... which the rate rule alone never would (5 a window < minRequests 20)', () => {
  const run = simulate(
    { ...DEFAULT_BREAKER_SETTINGS, tripStreak: Number.POSITIVE_INFINITY },
    MINUTE,
    HOUR,
    () => false,
  );
  assert.equal(run.transitions, []);
  assert.is(run.sent, 60);
});

Sim('a busy endpoint failing half the time trips on the rate before any streak', () => {
  const s = { ...DEFAULT_BREAKER_SETTINGS, tripStreak: 3 };
  // ok, fail, ok, fail ...: never 3 in a row
  let i = 0;
  const run = simulate(s, 1_000, 10 * MINUTE, () => {
    i += 1;
    return i % 2 === 1;
  });
  const first = run.transitions[0];
  assert.ok(first !== undefined);
  assert.match(first.reason, /failure rate 50% over 20 deliveries/);
});

Sim('a dead endpoint is disabled after the disable streak of failed probes, with warnings at 50/70/90 % first', () => {
  const s = { ...DEFAULT_BREAKER_SETTINGS, disableStreak: 20, coolOffMaxMs: MINUTE };
  let state = initialBreaker(ENDPOINT, new Date(T0).toISOString());
  const levels: number[] = [];
  let sent = 0;
  // one message a second through the gate: 5 failures trip it, then only the probes go
  for (let n = 1; state.mode !== 'disabled' && n <= 3_600; n += 1) {
    const now = new Date(T0 + n * 1000);
    const gate = gateOf(state, now.toISOString());
    if (gate.kind === 'hold') continue;
    if (gate.kind === 'probe') {
      const took = takeProbe(state, `m-${n}`, now, s);
      if (E.isLeft(took)) continue;
      state = took.right.state;
    }
    sent += 1;
    const at = now.toISOString();
    const step = observeBreaker(
      state,
      [{ endpoint: ENDPOINT, messageId: `m-${n}`, at, marker: `${at}#m-${n}#000001`, verdict: 'fail' }],
      s,
    );
    levels.push(...step.warnings.map((w) => w.level));
    state = step.state;
    if (state.streak === 13) assert.equal(levels, [50], 'level 70 at ceil(14)');
  }
  assert.equal(levels, [50, 70, 90]);
  assert.is(state.mode, 'disabled');
  assert.is(sent, 20, '5 failures, then 15 failed probes: nothing else was sent');
  // 30 s, then a minute per probe (the cool-off's cap here)
  assert.ok(Date.parse(state.since) - T0 >= 14 * MINUTE, `disabled after ${Date.parse(state.since) - T0} ms`);
  assert.is(gateOf(state, new Date(T0 + 10 * HOUR).toISOString()).kind, 'hold', 'disabled never probes by itself');
});

Sim.run();
