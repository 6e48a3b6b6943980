import { gateOf, pauseBreaker, resumeBreaker, takeProbe } from './breakerGate.js';
import { moveItemOf } from './breakerMoveItem.js';
import { observationOf } from './breakerObservation.js';
import { DEFAULT_BREAKER_SETTINGS } from './breakerSettings.js';
import { initialBreaker } from './breakerState.js';
import { endpointEventsOf } from './endpointEvents.js';
import { observeBreaker } from './observeBreaker.js';

/**
 * The endpoint breaker's pure decisions, as one door (one state machine over BreakerState):
 * the projector observes attempts (`observationOf`, `observe`), the worker gates and takes the
 * half-open probe (`gate`, `takeProbe`), operators `pause` and `resume`; every move becomes a
 * MOVE item (`moveItemOf`) and operator events (`eventsOf`).
 */
export const breaker = {
  initial: initialBreaker,
  observationOf,
  observe: observeBreaker,
  gate: gateOf,
  takeProbe,
  pause: pauseBreaker,
  resume: resumeBreaker,
  moveItemOf,
  eventsOf: endpointEventsOf,
  DEFAULT_SETTINGS: DEFAULT_BREAKER_SETTINGS,
} as const;
