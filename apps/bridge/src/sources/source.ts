// The one interface every OT connector implements (STYLE.md rule 7): a Source connects to the shop floor,
// decodes its protocol and delivers exactly one submit() or reject() per received message into the ingest
// pipeline. Implementations are private to their module and made by createSource().
import type { DataSourceKind } from '@takt/db';
import type { IngestSink } from '../ingest/ingest-event.ts';

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
  /** Starts connecting (and reconnecting, with backoff) in the background. */
  start(sink: IngestSink): void;
  /** Resolves once the source first receives messages (e.g. its MQTT subscription is acknowledged). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
};
