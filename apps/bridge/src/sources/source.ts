// The one interface every OT connector implements (docs/conventions.md rule 7): a Source connects to the shop floor,
// decodes its protocol into the normalized events of @takt/ingest (contract: @takt/contracts
// ingest.contract.ts) and hands them, or the messages it could not decode, to a sink: the ingest pipeline.
// Implementations are private to their module and made by the factory (source.factory.ts).
import type { TIngestEvent, TIngestEventStatus } from '@takt/contracts';
import type { DataSourceKind } from '@takt/db';
import { BUFFER_FULL_REASON, DATABASE_UNAVAILABLE_REASON, INGEST_STOPPED_REASON } from '@takt/ingest';

/** Where events come from (@takt/ingest `IngestSourceInfo`). */
export type ConnectorSourceInfo = { code: string; kind: DataSourceKind; dataSourceId: string | null };

/** How one event was received (@takt/ingest `IngestEventOrigin`). */
export type ConnectorEventOrigin = {
  address: string;
  payload?: Uint8Array;
  receivedAtMs?: number;
  isReplay?: boolean;
};

/**
 * What a sink answers, one result per submitted event or rejection (@takt/ingest `IngestSubmitResult`), once each
 * is stored (committed, dead-lettered, or written and fsynced to the spool) or refused.
 */
export type ConnectorAnswer = { results: readonly { status: TIngestEventStatus; reason?: string }[] };

/** The spool's result reason for records it refused because it was full. */
export const SPOOL_FULL_REASON = 'spool full';

// Results that mean "not stored": the item is gone unless its sender delivers it again (MQTT: leave it
// unacknowledged, so that the broker redelivers it).
const NOT_STORED_REASONS: ReadonlySet<string> = new Set([
  DATABASE_UNAVAILABLE_REASON,
  BUFFER_FULL_REASON,
  INGEST_STOPPED_REASON,
  SPOOL_FULL_REASON,
]);

/** Whether everything an answer covers is stored (rejected items are stored as dead letters). */
export function isEverythingStored(answer: ConnectorAnswer): boolean {
  return answer.results.every((result) => result.status !== 'rejected' || !NOT_STORED_REASONS.has(result.reason ?? ''));
}

/** Connection state and backlog a source reports, shown by GET /api/v1/ingest/status. */
export type ConnectorSourceStatus = {
  isConnected?: boolean | null;
  spoolDepth?: number;
  /** Events handed to the sink and not yet stored. */
  pendingEvents?: number;
  /** MQTT: messages received and not yet acknowledged to the broker. */
  unackedMessages?: number;
};

/** The part of @takt/ingest's `IngestPipeline` a source feeds (the pipeline itself is a valid sink). */
export type ConnectorSink = {
  /** Resolves once every input is stored or refused (never rejects). */
  submit(
    inputs: readonly { event: TIngestEvent; origin?: ConnectorEventOrigin }[],
    source: ConnectorSourceInfo,
  ): Promise<ConnectorAnswer>;
  /** Dead-letters messages the source could not decode; resolves once they are stored or refused. */
  reject(
    rejections: readonly { address: string; payload: Uint8Array; reason: string; receivedAtMs?: number }[],
    source: ConnectorSourceInfo,
  ): Promise<ConnectorAnswer>;
  setSourceStatus?(source: ConnectorSourceInfo, status: ConnectorSourceStatus): void;
  /**
   * Liveness without data: the source's connection to these machines is healthy (e.g. an OPC UA subscription that
   * keeps receiving the server's keep-alives). The liveness watchdog counts it as a heartbeat; it carries no state.
   */
  noteAlive?(machinePaths: readonly string[]): void;
  /**
   * Back-pressure: null while the sink has room, counting `extraItems` the source holds but has not submitted
   * yet; else a promise that resolves once it has caught up. Sources that can hold off their peer wait for it.
   */
  waitForRoom?(extraItems?: number): Promise<void> | null;
};

export type SourceStatus = {
  isConnected: boolean;
  /** Successful connections so far, the first one included. */
  connectCount: number;
  lastError: string | null;
  /** MQTT: QoS 1 messages received on the current connection and not yet acknowledged (not yet stored). */
  unackedMessages?: number;
};

export type Source = {
  /** The data_source code, or a name made up from the connection; keys the per-source counters. */
  readonly code: string;
  readonly kind: DataSourceKind;
  /** Starts connecting (and reconnecting, with backoff) in the background, feeding `sink`. */
  start(sink: ConnectorSink): void;
  /** Resolves once the source first receives messages (e.g. its MQTT subscription is acknowledged). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
};
