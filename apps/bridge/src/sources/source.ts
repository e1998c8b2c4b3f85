// The one interface every OT connector implements (STYLE.md rule 7): a Source connects to the shop floor,
// decodes its protocol into the normalized events of @takt/ingest (contract: @takt/contracts
// ingest.contract.ts) and hands them, or the messages it could not decode, to a sink: the ingest pipeline.
// Implementations are private to their module and made by the factory (source.factory.ts).
import type { TIngestEvent } from '@takt/contracts';
import type { DataSourceKind } from '@takt/db';

/** Where events come from (@takt/ingest `IngestSourceInfo`). */
export type ConnectorSourceInfo = { code: string; kind: DataSourceKind; dataSourceId: string | null };

/** How one event was received (@takt/ingest `IngestEventOrigin`). */
export type ConnectorEventOrigin = {
  address: string;
  payload?: Uint8Array;
  receivedAtMs?: number;
  isReplay?: boolean;
};

/** The part of @takt/ingest's `IngestPipeline` a source feeds (the pipeline itself is a valid sink). */
export type ConnectorSink = {
  submit(
    inputs: readonly { event: TIngestEvent; origin?: ConnectorEventOrigin }[],
    source: ConnectorSourceInfo,
  ): Promise<unknown>;
  reject(
    rejections: readonly { address: string; payload: Uint8Array; reason: string; receivedAtMs?: number }[],
    source: ConnectorSourceInfo,
  ): void;
  setSourceStatus?(source: ConnectorSourceInfo, status: { isConnected?: boolean | null; spoolDepth?: number }): void;
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
