// The input and output types of the one ingest pipeline (packages/ingest/README.md: every source feeds
// it). A source decodes its protocol into normalized events (`TIngestEvent`, @takt/contracts ingest.contract.ts)
// and submits them together with where they came from; what it cannot decode it rejects, so that the raw
// message still reaches dead_letter.
import type { TIngestEvent, TIngestEventResult, TIngestEventStatus } from '@takt/contracts';
import type { DataSourceKind } from '@takt/db';

export type { TIngestEvent, TIngestEventResult, TIngestEventStatus };

/** The connection events arrive by: keys the per-source counters and the de-duplication keys. */
export type IngestSourceInfo = {
  /** data_source code, or a name made up from the connection (`uns-json:takt`, `http`). */
  code: string;
  kind: DataSourceKind;
  /** The data_source row, when there is one: dead letters point at it and signal events resolve through its mappings. */
  dataSourceId: string | null;
};

/** How one event was received, kept so that an event the pipeline cannot apply is dead-lettered as received. */
export type IngestEventOrigin = {
  /** MQTT topic, OPC UA node id or HTTP route. */
  address: string;
  /** The raw message; default: the event as JSON. */
  payload?: Uint8Array;
  /** Default: when submit() was called. */
  receivedAtMs?: number;
  /**
   * A replay of history rather than news (MQTT retained message, an event the bridge made up itself): counted
   * apart, never dead-lettered as "too late".
   */
  isReplay?: boolean;
};

/** One event handed to submit(): the normalized event (validated again by the pipeline) and its origin. */
export type IngestInput = { event: TIngestEvent | unknown; origin?: IngestEventOrigin };

/** A message a source could not decode: it goes to dead_letter with the reason. */
export type IngestRejection = { address: string; payload: Uint8Array; reason: string; receivedAtMs?: number };

export type IngestSubmitResult = {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One per submitted event, in submission order. */
  results: TIngestEventResult[];
};

/** What a source reports about itself (gauges; absent fields are left as they were). */
export type IngestSourceStatusReport = {
  isConnected?: boolean | null;
  /** Events kept in the bridge's on-disk spool, not yet written. */
  spoolDepth?: number;
  /** Events the source handed over and that are not yet stored. */
  pendingEvents?: number;
  /** MQTT messages received and not yet acknowledged to the broker (they are redelivered after a crash). */
  unackedMessages?: number;
};

/** Per-source counters since the pipeline started. */
export type IngestSourceCounters = {
  kind: DataSourceKind;
  messages: number;
  duplicates: number;
  deadLetters: number;
  lastMessageAtMs: number | null;
  /** Event time → commit of the last batch holding an event of this source. */
  lagMs: number | null;
  isConnected: boolean | null;
  /** The backlog a bridge source reports (setSourceStatus): events on disk, held, and unacknowledged messages. */
  spoolDepth: number;
  pendingEvents: number;
  unackedMessages: number;
};

/** What a committed batch touched, handed to the pipeline's `afterBatchCommit` hook. */
export type IngestBatchCommit = {
  /** Per machine with events in the batch: from its earliest event time to the commit. */
  touched: { machineId: string; fromMs: number; toMs: number }[];
  committedAtMs: number;
};

export type IngestStats = {
  sources: Record<string, IngestSourceCounters>;
  batches: number;
  failedAttempts: number;
  intervalsWritten: number;
  countEvents: number;
  staleReplays: number;
  /** Items submitted and not yet committed or given up (bounded, see waitForRoom). */
  pending: number;
  /** The most items ever pending at once. */
  peakPending: number;
  /** How often waitForRoom() asked the sources to pause. */
  pauses: number;
  dropped: number;
};

export type IngestPipeline = {
  /**
   * Queues `inputs` for the next batch. The promise never rejects; it resolves once every input has its outcome,
   * with one result per input, in submission order:
   * - `accepted` / `duplicate`: the event is committed to PostgreSQL (or was stored already);
   * - `rejected` with any other reason: the event can never be applied (schema violation, unknown machine, too
   *   late, a value the database refuses …) and its dead letter is committed (only if even the dead letter is
   *   refused is it logged and dropped);
   * - `rejected` with `DATABASE_UNAVAILABLE_REASON` (PostgreSQL stayed unreachable for `maxTransientAttempts`),
   *   `BUFFER_FULL_REASON` (refused at once: too much pending, or stopped) or `INGEST_STOPPED_REASON` (stop()
   *   timed out): nothing is stored; the caller still holds the event and may spool it and submit it again.
   * So once it resolves, a source may acknowledge every input whose result is not one of those three.
   */
  submit(inputs: readonly IngestInput[], source: IngestSourceInfo): Promise<IngestSubmitResult>;
  /**
   * Dead-letters messages the source could not decode (counted per source like events). The promise resolves once
   * they are stored, or with `rejected: database unavailable` results when PostgreSQL stayed away (never rejects).
   */
  reject(rejections: readonly IngestRejection[], source: IngestSourceInfo): Promise<IngestSubmitResult>;
  /**
   * Back-pressure: null while there is room; once `pauseAtPendingItems` are pending (with `extraItems` the caller
   * holds and will submit), a promise that resolves when the pipeline has caught up (`resumeAtPendingItems`).
   * Sources that can wait (MQTT) stop reading meanwhile.
   */
  waitForRoom(extraItems?: number): Promise<void> | null;
  /** Connection state and backlog reported by the source, shown by GET /api/v1/ingest/status. */
  setSourceStatus(source: IngestSourceInfo, status: IngestSourceStatusReport): void;
  /**
   * Liveness without data: the source's connection to these machines (paths) is healthy, e.g. an OPC UA
   * subscription receiving the server's keep-alives. The OFFLINE watchdog counts it as a heartbeat; it writes nothing
   * and carries no state (a machine OFFLINE stays so until it reports one).
   */
  noteAlive(machinePaths: readonly string[]): void;
  /** Resolves when everything queued so far is written (or given up on). */
  flush(): Promise<void>;
  /** Writes the per-source counters to ingest_source_status now (the timer does it every `statusIntervalMs`). */
  reportStatus(): Promise<void>;
  /** Stops timers and flushes, waiting at most `timeoutMs` (the database may be gone). */
  stop(timeoutMs?: number): Promise<void>;
  stats(): IngestStats;
};
