// The protocol-neutral events every Source hands to the ingest pipeline (DESIGN.md "OT ingest contracts":
// all sources feed one pipeline). A source decodes its protocol into these; the pipeline resolves machines,
// applies the events and writes them.
import type { TMachineState } from '@takt/contracts';
import type { DataSourceKind } from '@takt/db';

/** Where a message came from, kept so that a message the pipeline cannot apply can be dead-lettered as received. */
export type EventOrigin = {
  /** Key of the per-source counters: the data_source code, or a name made up from the connection. */
  sourceCode: string;
  sourceKind: DataSourceKind;
  dataSourceId: string | null;
  /** MQTT topic, OPC UA node id or HTTP route. */
  address: string;
  payload: Uint8Array;
  receivedAtMs: number;
  /**
   * A replay of history rather than news: an MQTT retained message, or an event the bridge made up itself.
   * Such an event that is older than what is stored is dropped quietly instead of dead-lettered.
   */
  isReplay: boolean;
};

export type StateEvent = {
  signal: 'state';
  machinePath: string;
  tsMs: number;
  state: TMachineState;
  /** Raw code as reported (e.g. `packml:6`, `umh:40100`); null when the source sent a Takt state name. */
  sourceCode: string | null;
  reasonCode: string | null;
  /** null: the message named no product, so the machine keeps the product it had. */
  productCode: string | null;
  origin: EventOrigin;
};

export type CountEvent = {
  signal: 'count';
  machinePath: string;
  tsMs: number;
  goodCount: number;
  rejectCount: number;
  origin: EventOrigin;
};

export type IngestEvent = StateEvent | CountEvent;

/** A message that could not be turned into an event, with the reason written to dead_letter. */
export type Rejection = { origin: EventOrigin; reason: string };

/** What a Source delivers into: exactly one call per received message. */
export type IngestSink = {
  submit(event: IngestEvent): void;
  reject(rejection: Rejection): void;
};
