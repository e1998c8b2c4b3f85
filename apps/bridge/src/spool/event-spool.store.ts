// The bridge's bounded on-disk spool (apps/bridge/README.md): append-only segment files of JSON lines
// under `{dir}` (TAKT_DATA_DIR/spool), each append batch written and fsync'ed before it counts as stored, read
// back oldest first, in order. A cursor file (replaced atomically) records how far the replay got, so that a
// restart resumes where it left off; a segment read to its end is deleted. A crash between commit and cursor
// write replays a batch twice, which the pipeline's de-duplication absorbs (at-least-once, never lost).
//
// Bounded: beyond `maxBytes` of unreplayed data, append() refuses the records and counts them (policy
// "reject new": what is stored keeps its order and nothing already stored is thrown away; the owner reports
// the refused ones as a dead letter once the database is back).
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';

export type EventSpoolOptions = {
  dir: string;
  /** Most bytes of unreplayed records kept on disk (default 256 MiB). */
  maxBytes?: number;
  /** A segment is closed and a new one begun past this size (default 4 MiB). */
  segmentMaxBytes?: number;
};

export type SpoolDepth = { records: number; bytes: number };

/** One stored record and where it ends, for commit(). */
export type SpoolEntry<T> = { record: T; position: SpoolPosition };
export type SpoolPosition = { segment: number; line: number };

export type EventSpool<T> = {
  /** Stores the records durably (one write + fsync); false when the spool is full and nothing was stored. */
  append(records: readonly T[]): boolean;
  /** Up to `limit` records, oldest first, starting after the last commit. */
  read(limit: number): Promise<SpoolEntry<T>[]>;
  /** Marks everything up to and including `position` as replayed. */
  commit(position: SpoolPosition): Promise<void>;
  depth(): SpoolDepth;
  /** Records refused because the spool was full, since the last takeRefused(). */
  takeRefused(): number;
  close(): void;
};

type Segment = { id: number; bytes: number; lines: number };

const SEGMENT_PATTERN = /^segment-(\d{12})\.jsonl$/;
const segmentName = (id: number) => `segment-${String(id).padStart(12, '0')}.jsonl`;

/** Opens (creating if needed) the spool in `dir`, finding what an earlier process left there. */
export async function openEventSpool<T>(options: EventSpoolOptions): Promise<EventSpool<T>> {
  const { dir, maxBytes = 256 * 1024 * 1024, segmentMaxBytes = 4 * 1024 * 1024 } = options;
  await mkdir(dir, { recursive: true });
  const cursorPath = path.join(dir, 'cursor.json');
  let cursor: SpoolPosition = { segment: 0, line: 0 };
  try {
    const parsed = JSON.parse(await readFile(cursorPath, 'utf8')) as Partial<SpoolPosition>;
    if (Number.isInteger(parsed.segment) && Number.isInteger(parsed.line)) cursor = parsed as SpoolPosition;
  } catch {
    // No cursor yet (or a torn one from a crash before its rename): start at the oldest segment.
  }

  const segments: Segment[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const match = SEGMENT_PATTERN.exec(name);
    if (!match) continue;
    const id = Number(match[1]);
    if (id < cursor.segment) {
      await rm(path.join(dir, name), { force: true }); // fully replayed before a crash, not yet deleted
      continue;
    }
    let text = await readFile(path.join(dir, name), 'utf8');
    if (text !== '' && !text.endsWith('\n')) {
      // The last line was torn by a crash mid-write: it was never acknowledged as stored, drop it.
      text = text.slice(0, text.lastIndexOf('\n') + 1);
      await writeFile(path.join(dir, name), text);
    }
    const lines = text.split('\n').filter((line) => line !== '').length;
    segments.push({ id, bytes: (await stat(path.join(dir, name))).size, lines });
  }

  // Appends go to a new segment per process: a torn last line of a crashed writer stays the last line of its
  // own segment, where read() skips it.
  let writer: { id: number; fd: number; bytes: number } | null = null;
  let nextId = Math.max(cursor.segment, ...segments.map((segment) => segment.id), 0) + 1;
  let refused = 0;

  const unreplayedLines = () =>
    segments.reduce((sum, segment) => sum + segment.lines - (segment.id === cursor.segment ? cursor.line : 0), 0);
  const storedBytes = () => segments.reduce((sum, segment) => sum + segment.bytes, 0);

  function openWriter(): { id: number; fd: number; bytes: number } {
    const id = nextId;
    nextId += 1;
    const fd = openSync(path.join(dir, segmentName(id)), 'a');
    segments.push({ id, bytes: 0, lines: 0 });
    return { id, fd, bytes: 0 };
  }

  function closeWriter(): void {
    if (!writer) return;
    closeSync(writer.fd);
    writer = null;
  }

  return {
    append(records) {
      if (records.length === 0) return true;
      const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
      const bytes = Buffer.byteLength(text);
      if (storedBytes() + bytes > maxBytes) {
        refused += records.length;
        return false;
      }
      if (!writer || writer.bytes >= segmentMaxBytes) {
        closeWriter();
        writer = openWriter();
      }
      // Synchronous on purpose: the caller learns "stored" only once the bytes are on disk (fsync), and no
      // other append can interleave with this one.
      writeSync(writer.fd, text);
      fsyncSync(writer.fd);
      writer.bytes += bytes;
      const segment = segments.find((candidate) => candidate.id === writer?.id);
      if (segment) {
        segment.bytes += bytes;
        segment.lines += records.length;
      }
      return true;
    },
    async read(limit) {
      const entries: SpoolEntry<T>[] = [];
      for (const segment of segments) {
        if (entries.length >= limit) break;
        const startLine = segment.id === cursor.segment ? cursor.line : segment.id < cursor.segment ? segment.lines : 0;
        if (startLine >= segment.lines) continue;
        const lines = (await readFile(path.join(dir, segmentName(segment.id)), 'utf8')).split('\n');
        for (let line = startLine; line < segment.lines && entries.length < limit; line += 1) {
          const text = lines[line];
          if (text === undefined || text === '') continue;
          try {
            entries.push({ record: JSON.parse(text) as T, position: { segment: segment.id, line: line + 1 } });
          } catch {
            // Unreadable line (disk corruption): skip it rather than block the replay for ever.
          }
        }
      }
      return entries;
    },
    async commit(position) {
      cursor = position;
      // Segments read to their end are done: delete them (closing the writer first if it is one of them).
      for (const segment of [...segments]) {
        const isDone =
          segment.id < position.segment || (segment.id === position.segment && position.line >= segment.lines);
        if (!isDone) continue;
        if (writer?.id === segment.id) closeWriter();
        segments.splice(segments.indexOf(segment), 1);
        await rm(path.join(dir, segmentName(segment.id)), { force: true });
      }
      const temporary = `${cursorPath}.tmp`;
      await writeFile(temporary, JSON.stringify(cursor));
      const handle = await open(temporary, 'r');
      await handle.sync();
      await handle.close();
      await rename(temporary, cursorPath);
    },
    depth() {
      return { records: unreplayedLines(), bytes: storedBytes() };
    },
    takeRefused() {
      const count = refused;
      refused = 0;
      return count;
    },
    close() {
      closeWriter();
    },
  };
}
