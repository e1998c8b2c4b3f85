// A sink that records what a source hands it, standing where the @takt/ingest pipeline goes in the sources'
// integration tests (the pipeline's database side is tested in packages/ingest and the *.pipeline tests).
import type { TIngestEvent } from '@takt/contracts';
import type { ConnectorSink } from '../sources/source.ts';

export type RecordingSink = ConnectorSink & {
  /** Submitted events with the address of their origin. */
  events: (TIngestEvent & { address: string })[];
  rejections: { address: string; reason: string; payload: Uint8Array }[];
  /** Machine paths of every noteAlive call, in order. */
  aliveNotes: string[][];
};

export function createRecordingSink(): RecordingSink {
  const sink: RecordingSink = {
    events: [],
    rejections: [],
    aliveNotes: [],
    // Everything is "stored" at once: accepted, and rejections recorded as dead letters would be.
    async submit(inputs) {
      for (const input of inputs) sink.events.push({ ...input.event, address: input.origin?.address ?? '' });
      return { results: inputs.map(() => ({ status: 'accepted' as const })) };
    },
    async reject(rejections) {
      for (const rejection of rejections) sink.rejections.push(rejection);
      return { results: rejections.map(() => ({ status: 'rejected' as const, reason: 'recorded' })) };
    },
    noteAlive(machinePaths) {
      sink.aliveNotes.push([...machinePaths]);
    },
  };
  return sink;
}
