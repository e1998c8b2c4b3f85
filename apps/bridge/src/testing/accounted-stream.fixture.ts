// A known stream of QoS 1 UNS messages (counts, and a state change now and then) with per-message accounting:
// what was published, what the broker acknowledged to the publisher (and when), and what the database holds —
// each message's de-duplication key in ingest_event_key, the count buckets and the state intervals compared
// with what a clean run (every message applied once, in order) stores.
import { randomBytes } from 'node:crypto';
import { ZIngestEvent } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { COUNT_BUCKET_SEC, countBucketStartMs, dedupKeyOf } from '@takt/ingest';
import { connectAsync, type MqttClient } from 'mqtt';
import { decodeUnsMessage } from '../sources/uns-json.decoder.ts';

export type StreamMessage = {
  seq: number;
  machinePath: string;
  topic: string;
  payload: string;
  state: 'PRODUCING' | 'IDLE' | null;
  good: number;
  reject: number;
  tsMs: number;
  /** The ingest's de-duplication key of the message's event. */
  key: string;
  /** When the broker acknowledged it to the publisher (PUBACK); null while it has not. */
  ackedAtMs: number | null;
};

export type AccountedStream = {
  readonly messages: readonly StreamMessage[];
  /** Publishes `count` messages at `ratePerSec` (Infinity: as fast as the broker acknowledges, ≤ 1,000 unacked). */
  publish(options: { count: number; ratePerSec: number }): Promise<void>;
  /** Resolves once the broker acknowledged every message published so far. */
  allAcked(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export type StreamOptions = {
  mqttUrl: string;
  topicPrefix: string;
  machinePaths: readonly string[];
  /** The code the bridge ingests the prefix as (its de-duplication keys start with it). */
  sourceCode: string;
  /** First event time; events are 10 ms apart. */
  startTsMs: number;
};

const MAX_UNACKED = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openAccountedStream(options: StreamOptions): Promise<AccountedStream> {
  const { topicPrefix, machinePaths, sourceCode, startTsMs } = options;
  // A persistent session and a short reconnect period: mqtt.js resends unacknowledged publishes after a reconnect.
  const client: MqttClient = await connectAsync(options.mqttUrl, {
    clientId: `takt-fault-publisher-${randomBytes(6).toString('hex')}`,
    clean: false,
    reconnectPeriod: 200,
    connectTimeout: 2_000,
  });
  client.on('error', () => {});
  const messages: StreamMessage[] = [];
  let unacked = 0;

  function next(): StreamMessage {
    const seq = messages.length;
    const machinePath = machinePaths[seq % machinePaths.length] ?? '';
    const tsMs = startTsMs + seq * 10;
    // Every 25th message of a machine changes its state; the others count parts.
    const isState = Math.floor(seq / machinePaths.length) % 25 === 0;
    const state = isState ? (Math.floor(seq / machinePaths.length / 25) % 2 === 0 ? 'PRODUCING' : 'IDLE') : null;
    const good = isState ? 0 : 1 + (seq % 3);
    const reject = !isState && seq % 7 === 0 ? 1 : 0;
    const topic = `${topicPrefix}/${machinePath}/${isState ? 'state' : 'count'}`;
    const payload = JSON.stringify(
      isState ? { state, timestamp_ms: tsMs } : { good, reject, timestamp_ms: tsMs, seq_in_test: seq },
    );
    const decoded = decodeUnsMessage(topicPrefix, { address: topic, payload: Buffer.from(payload) });
    if (decoded.ok !== true) {
      const why = decoded.ok === false ? decoded.reason : decoded.why;
      throw new Error(`test stream message ${seq} is not an event: ${why}`);
    }
    const message: StreamMessage = {
      seq,
      machinePath,
      topic,
      payload,
      state,
      good,
      reject,
      tsMs,
      // As the pipeline computes it: from the event as the contract parses it.
      key: dedupKeyOf(ZIngestEvent.parse(decoded.event), sourceCode),
      ackedAtMs: null,
    };
    messages.push(message);
    return message;
  }

  function send(message: StreamMessage): void {
    unacked += 1;
    client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
      // mqtt.js keeps a QoS 1 publish until the broker acknowledges it, across reconnects.
      if (!error) message.ackedAtMs = Date.now();
      unacked -= 1;
    });
  }

  return {
    messages,
    async publish({ count, ratePerSec }) {
      const startedAtMs = Date.now();
      for (let sent = 0; sent < count; sent += 1) {
        while (unacked >= MAX_UNACKED) await sleep(2);
        if (Number.isFinite(ratePerSec)) {
          const dueAtMs = startedAtMs + (sent / ratePerSec) * 1000;
          if (dueAtMs > Date.now()) await sleep(dueAtMs - Date.now());
        } else if (sent % 200 === 0) {
          await sleep(0);
        }
        send(next());
      }
    },
    async allAcked(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.some((message) => message.ackedAtMs === null)) {
        if (Date.now() > deadline) throw new Error('the broker did not acknowledge every published message');
        await sleep(20);
      }
    },
    async close() {
      await client.endAsync(true);
    },
  };
}

export type StreamAccount = {
  published: number;
  /** Acknowledged by the broker to the publisher. */
  acked: number;
  /** Acknowledged messages whose event is in the database. */
  stored: number;
  /** Acknowledged and not stored. */
  missing: StreamMessage[];
  /** Good + reject parts in production_count beyond what the stored messages carry (an event applied twice). */
  extraParts: number;
  /** The count buckets and state intervals equal those of a clean run of the stored messages. */
  isCleanRunResult: boolean;
  /** First difference from the clean run, for a failing test's message. */
  difference: string | null;
};

type Bucket = { good: number; reject: number };

/** Compares the database with the stream (machine ids by path). */
export async function accountStream(
  prisma: PrismaClient,
  stream: AccountedStream,
  machineIdByPath: ReadonlyMap<string, string>,
): Promise<StreamAccount> {
  const acked = stream.messages.filter((message) => message.ackedAtMs !== null);
  const keys = stream.messages.map((message) => message.key);
  const storedKeys = new Set(
    (
      await prisma.$queryRaw<{ event_key: string }[]>`
        SELECT event_key FROM ingest_event_key WHERE event_key = ANY(${keys}::text[])`
    ).map((row) => row.event_key),
  );
  const stored = stream.messages.filter((message) => storedKeys.has(message.key));

  // A clean run of the stored messages: count buckets per machine and minute, state intervals per machine.
  const expectedBuckets = new Map<string, Bucket>();
  const statesByMachine = new Map<string, StreamMessage[]>();
  for (const message of stored) {
    const machineId = machineIdByPath.get(message.machinePath) ?? message.machinePath;
    if (message.state !== null) {
      statesByMachine.set(machineId, [...(statesByMachine.get(machineId) ?? []), message]);
    } else {
      const key = `${machineId}|${countBucketStartMs(message.tsMs)}`;
      const bucket = expectedBuckets.get(key) ?? { good: 0, reject: 0 };
      bucket.good += message.good;
      bucket.reject += message.reject;
      expectedBuckets.set(key, bucket);
    }
  }
  const machineIds = [...machineIdByPath.values()];
  const rows = await prisma.productionCount.findMany({
    where: { machineId: { in: machineIds }, bucketSec: COUNT_BUCKET_SEC },
  });
  const actualBuckets = new Map<string, Bucket>();
  for (const row of rows) {
    const key = `${row.machineId}|${row.bucketStart.getTime()}`;
    const bucket = actualBuckets.get(key) ?? { good: 0, reject: 0 };
    bucket.good += row.goodCount;
    bucket.reject += row.rejectCount;
    actualBuckets.set(key, bucket);
  }
  const sumParts = (buckets: Map<string, Bucket>) =>
    [...buckets.values()].reduce((sum, bucket) => sum + bucket.good + bucket.reject, 0);

  let difference: string | null = null;
  for (const key of new Set([...expectedBuckets.keys(), ...actualBuckets.keys()])) {
    const expected = expectedBuckets.get(key);
    const actual = actualBuckets.get(key);
    if (expected?.good !== actual?.good || expected?.reject !== actual?.reject) {
      difference ??= `count bucket ${key}: expected ${JSON.stringify(expected)}, stored ${JSON.stringify(actual)}`;
    }
  }
  for (const machineId of machineIds) {
    const states = (statesByMachine.get(machineId) ?? []).sort((a, b) => a.tsMs - b.tsMs);
    // The same state again changes nothing: only changes open an interval.
    const changes = states.filter((message, index) => index === 0 || states[index - 1]?.state !== message.state);
    const expected = changes.map((message, index) => ({
      state: message.state,
      startedAtMs: message.tsMs,
      endedAtMs: changes[index + 1]?.tsMs ?? null,
    }));
    const intervals = await prisma.machineStateInterval.findMany({
      where: { machineId },
      orderBy: { startedAt: 'asc' },
    });
    const actual = intervals.map((row) => ({
      state: row.state,
      startedAtMs: row.startedAt.getTime(),
      endedAtMs: row.endedAt?.getTime() ?? null,
    }));
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      difference ??= `state intervals of ${machineId}: expected ${JSON.stringify(expected)}, stored ${JSON.stringify(actual)}`;
    }
  }
  return {
    published: stream.messages.length,
    acked: acked.length,
    stored: acked.filter((message) => storedKeys.has(message.key)).length,
    missing: acked.filter((message) => !storedKeys.has(message.key)),
    extraParts: sumParts(actualBuckets) - sumParts(expectedBuckets),
    isCleanRunResult: difference === null,
    difference,
  };
}
