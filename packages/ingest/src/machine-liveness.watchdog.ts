// Puts a machine OFFLINE when it has been silent for `offlineAfterMs` (docs/domain.md "Machine states": OFFLINE =
// no data from the machine, heartbeat lost). Any valid event counts as a heartbeat; UNS publishers send counts
// every few seconds even when nothing was made (apps/bridge/README.md). Sources that only report changes (OPC UA)
// keep their machines alive with noteAlive while their connection is healthy.
//
// Two kinds of silence:
// - a machine heard from since this process started: OFFLINE from its last message, made to start after its
//   last event time too, so that it never lands before the interval it closes (the machine's clock may run
//   ahead of ours);
// - a machine never heard from since the start (`watchUnheard`): once `offlineAfterMs` has passed since the
//   start, the database says which of them is neither OFFLINE already nor fed by another process (recent
//   timeline events), and those go OFFLINE from the start of this process (or just after their latest
//   interval, if later).
import type { TMachineState } from '@takt/contracts';
import type { Logger } from 'pino';

export type SilenceEvent = { machineId: string; tsMs: number; silentSec: number; lastAddress: string | null };

/** A machine the database knows, for the never-heard-from check. */
export type UnheardCandidate = {
  machineId: string;
  /** State of its latest interval, null when it has none. */
  latestState: TMachineState | null;
  latestStartedAtMs: number | null;
  /** Time of its latest logged timeline event (any process), null when none. */
  latestEventTsMs: number | null;
};

export type LivenessWatchdogOptions = {
  offlineAfterMs: number;
  /** Receives the OFFLINE events the watchdog makes up. */
  submit: (event: SilenceEvent) => void;
  /** Machines of the plant with their latest state; enables the never-heard-from check. */
  loadUnheardCandidates?: () => Promise<UnheardCandidate[]>;
  logger: Logger;
  checkIntervalMs?: number;
  now?: () => number;
};

export type LivenessWatchdog = {
  /** Records a valid event of a known machine. */
  noteEvent(event: {
    machineId: string;
    receivedAtMs: number;
    tsMs: number;
    state: TMachineState | null;
    address: string;
  }): void;
  /** The machine's connection is healthy (e.g. OPC UA keep-alives): a heartbeat without a state. */
  noteAlive(machineId: string, receivedAtMs: number): void;
  /** Checks every machine once (the timer calls this; tests may too). */
  check(): Promise<void>;
  stop(): void;
};

/** source_code of the intervals the watchdog opens, so that a user can tell them from reported OFFLINE. */
export const SILENCE_SOURCE_CODE = 'bridge:no-data';

type Liveness = {
  lastReceivedAtMs: number;
  lastEventTsMs: number;
  lastState: TMachineState | null;
  lastAddress: string | null;
};

/** Starts the watchdog timer (unref'd). */
export function createLivenessWatchdog(options: LivenessWatchdogOptions): LivenessWatchdog {
  const { offlineAfterMs, submit, logger, now = Date.now, loadUnheardCandidates } = options;
  const checkIntervalMs = options.checkIntervalMs ?? Math.min(1_000, Math.max(50, offlineAfterMs / 4));
  const startedAtMs = now();
  const machines = new Map<string, Liveness>();
  let hasCheckedUnheard = loadUnheardCandidates === undefined;
  let checking: Promise<void> | null = null;

  function goOffline(machineId: string, liveness: Liveness, tsMs: number, nowMs: number): void {
    const silentSec = Math.round((nowMs - liveness.lastReceivedAtMs) / 1000);
    liveness.lastState = 'OFFLINE';
    logger.warn({ machineId, silentSec }, 'machine silent: putting it OFFLINE');
    submit({ machineId, tsMs, silentSec, lastAddress: liveness.lastAddress });
  }

  async function checkUnheard(nowMs: number): Promise<void> {
    const candidates = await loadUnheardCandidates?.();
    hasCheckedUnheard = true;
    for (const candidate of candidates ?? []) {
      if (machines.has(candidate.machineId) || candidate.latestState === 'OFFLINE') continue;
      // Fed by another process (HTTP ingest, another bridge) recently: not silent.
      if (candidate.latestEventTsMs !== null && candidate.latestEventTsMs >= nowMs - offlineAfterMs) continue;
      const tsMs = Math.max(startedAtMs, (candidate.latestStartedAtMs ?? 0) + 1, (candidate.latestEventTsMs ?? 0) + 1);
      const liveness: Liveness = {
        lastReceivedAtMs: startedAtMs,
        lastEventTsMs: tsMs,
        lastState: null,
        lastAddress: null,
      };
      machines.set(candidate.machineId, liveness);
      goOffline(candidate.machineId, liveness, tsMs, nowMs);
    }
  }

  async function runCheck(): Promise<void> {
    const nowMs = now();
    for (const [machineId, liveness] of machines) {
      if (liveness.lastState === 'OFFLINE' || nowMs - liveness.lastReceivedAtMs < offlineAfterMs) continue;
      goOffline(machineId, liveness, Math.max(liveness.lastReceivedAtMs, liveness.lastEventTsMs + 1), nowMs);
    }
    if (!hasCheckedUnheard && nowMs - startedAtMs >= offlineAfterMs) {
      try {
        await checkUnheard(nowMs);
      } catch (error) {
        // The database may be away; the next tick tries again.
        logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'unheard-machine check failed');
      }
    }
  }

  function check(): Promise<void> {
    checking ??= runCheck().finally(() => {
      checking = null;
    });
    return checking;
  }

  const timer = setInterval(() => void check(), checkIntervalMs);
  timer.unref();

  return {
    noteEvent(event) {
      const previous = machines.get(event.machineId);
      machines.set(event.machineId, {
        lastReceivedAtMs: Math.max(previous?.lastReceivedAtMs ?? 0, event.receivedAtMs),
        lastEventTsMs: Math.max(previous?.lastEventTsMs ?? 0, event.tsMs),
        // A count after a silence is a heartbeat, not a state: the machine stays OFFLINE until it reports one.
        lastState: event.state ?? previous?.lastState ?? null,
        lastAddress: event.address,
      });
    },
    noteAlive(machineId, receivedAtMs) {
      const previous = machines.get(machineId);
      machines.set(machineId, {
        lastReceivedAtMs: Math.max(previous?.lastReceivedAtMs ?? 0, receivedAtMs),
        lastEventTsMs: previous?.lastEventTsMs ?? 0,
        lastState: previous?.lastState ?? null,
        lastAddress: previous?.lastAddress ?? null,
      });
    },
    check,
    stop() {
      clearInterval(timer);
    },
  };
}
