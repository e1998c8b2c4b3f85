// @takt/ingest: the one ingest pipeline (packages/ingest/README.md) fed by the bridge's sources (UNS JSON,
// Sparkplug B, OPC UA) and by POST /api/v1/ingest/events: validate → resolve machine and signal → de-duplicate
// → apply (state intervals with reordering, counters to deltas, product and work-order changes) → batched
// writes → notify. Contract of the events: @takt/contracts ingest.contract.ts.
export {
  createIngestPipeline,
  DATABASE_UNAVAILABLE_REASON,
  BUFFER_FULL_REASON,
  INGEST_STOPPED_REASON,
  type IngestPipelineOptions,
} from './ingest.pipeline.ts';
export { dedupKeyOf } from './event-resolution.ts';
export type {
  IngestBatchCommit,
  IngestEventOrigin,
  IngestInput,
  IngestPipeline,
  IngestRejection,
  IngestSourceCounters,
  IngestSourceInfo,
  IngestSourceStatusReport,
  IngestStats,
  IngestSubmitResult,
  TIngestEvent,
  TIngestEventResult,
  TIngestEventStatus,
} from './ingest-event.ts';
export { mapStateCode, mapStateValue, type MappedState, type StateValueResult } from './state-code.mapping.ts';
export { encodeDeadLetterPayload, DEAD_LETTER_PAYLOAD_MAX_BYTES } from './dead-letter-payload.encoder.ts';
export { SILENCE_SOURCE_CODE } from './machine-liveness.watchdog.ts';
export { COUNT_BUCKET_SEC, countBucketStartMs } from './count-bucket.writer.ts';
export { counterDeltaOf, COUNTER_ROLLOVER_MODULI } from './counter-delta.planner.ts';
export { lockMachineTimelines } from './machine-timeline.lock.ts';
