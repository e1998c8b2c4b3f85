// What the batch writer takes: events after validation and resolution (machine, product, reason and work-order
// ids known; event-resolution.ts makes them) and dead letters (messages that are stored as received, with the
// reason they could not be applied).
import type { TMachineState } from '@takt/contracts';
import type { IngestSourceInfo } from './ingest-event.ts';

export type ResolvedBody =
  | {
      kind: 'state';
      state: TMachineState;
      reasonId: string | null;
      sourceCode: string | null;
      hasProduct: boolean;
      productId: string | null;
    }
  | { kind: 'product'; productId: string | null }
  | { kind: 'work_order'; workOrderId: string | null }
  | { kind: 'count'; good: number; reject: number }
  | { kind: 'counter'; counter: 'good' | 'reject'; value: number }
  | { kind: 'heartbeat' };

/** An event ready to write: validated, machine and codes resolved. */
export type ResolvedEvent = {
  /** Index into the batch's caller-side bookkeeping (results). */
  ticket: number;
  machineId: string;
  tsMs: number;
  seq: number | null;
  dedupKey: string;
  sourceCode: string;
  body: ResolvedBody;
};

export type DeadLetterInput = {
  source: IngestSourceInfo;
  address: string;
  payload: Uint8Array;
  reason: string;
  receivedAtMs: number;
};
