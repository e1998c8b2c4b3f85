// Puts a machine OFFLINE when it has been silent for `offlineAfterMs` (DESIGN.md "Machine states": OFFLINE =
// no data from the machine, heartbeat lost). Any valid message counts as a heartbeat; UNS publishers send
// counts every few seconds even when nothing was made (apps/bridge/README.md).
//
// The OFFLINE interval starts at the last message received: that is where the data gap begins. It is
// made to start after the last event time too, so that it never lands before the interval it closes
// (the machine's clock may run ahead of ours). Scope of this first version: machines heard from since this
// process started; Sparkplug deaths and restarts are the later bridge issue.
import type { Logger } from 'pino';
import type { EventOrigin, IngestEvent, StateEvent } from './ingest-event.ts';

export type LivenessWatchdogOptions = {
  offlineAfterMs: number;
  /** Receives the OFFLINE events the watchdog makes up. */
  submit: (event: StateEvent) => void;
  logger: Logger;
  checkIntervalMs?: number;
  now?: () => number;
};

export type LivenessWatchdog = {
  /** Records a valid event of a known machine. */
  noteEvent(event: IngestEvent): void;
  /** Checks every machine once (the timer calls this; tests may too). */
  check(): void;
  stop(): void;
};

/** source_code of the intervals the watchdog opens, so that a user can tell them from reported OFFLINE. */
export const SILENCE_SOURCE_CODE = 'bridge:no-data';

type Liveness = {
  lastReceivedAtMs: number;
  lastEventTsMs: number;
  lastState: StateEvent['state'] | null;
  lastOrigin: EventOrigin;
};

export function createLivenessWatchdog(options: LivenessWatchdogOptions): LivenessWatchdog {
  const { offlineAfterMs, submit, logger, now = Date.now } = options;
  const checkIntervalMs = options.checkIntervalMs ?? Math.min(1_000, Math.max(50, offlineAfterMs / 4));
  const machines = new Map<string, Liveness>();

  function check(): void {
    const nowMs = now();
    for (const [machinePath, liveness] of machines) {
      if (liveness.lastState === 'OFFLINE' || nowMs - liveness.lastReceivedAtMs < offlineAfterMs) continue;
      const tsMs = Math.max(liveness.lastReceivedAtMs, liveness.lastEventTsMs + 1);
      const silentSec = Math.round((nowMs - liveness.lastReceivedAtMs) / 1000);
      const payload = { state: 'OFFLINE', timestamp_ms: tsMs, note: `no data for ${silentSec} s` };
      liveness.lastState = 'OFFLINE';
      logger.warn({ machinePath, silentSec }, 'machine silent: putting it OFFLINE');
      submit({
        signal: 'state',
        machinePath,
        tsMs,
        state: 'OFFLINE',
        sourceCode: SILENCE_SOURCE_CODE,
        reasonCode: null,
        productCode: null,
        origin: {
          ...liveness.lastOrigin,
          payload: new TextEncoder().encode(JSON.stringify(payload)),
          receivedAtMs: nowMs,
          isReplay: true,
        },
      });
    }
  }

  const timer = setInterval(check, checkIntervalMs);
  timer.unref();

  return {
    noteEvent(event) {
      // Our own OFFLINE events are no sign of life.
      if (event.signal === 'state' && event.sourceCode === SILENCE_SOURCE_CODE) return;
      const previous = machines.get(event.machinePath);
      machines.set(event.machinePath, {
        lastReceivedAtMs: Math.max(previous?.lastReceivedAtMs ?? 0, event.origin.receivedAtMs),
        lastEventTsMs: Math.max(previous?.lastEventTsMs ?? 0, event.tsMs),
        // A count after a silence is a heartbeat, not a state: the machine stays OFFLINE until it reports one.
        lastState: event.signal === 'state' ? event.state : (previous?.lastState ?? null),
        lastOrigin: event.origin,
      });
    },
    check,
    stop() {
      clearInterval(timer);
    },
  };
}
