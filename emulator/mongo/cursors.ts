import { calculateObjectSize, type Document, Long } from "bson";

import { CommandError } from "./errors";

// Cursors: a query's results, handed out in batches (`firstBatch`, then `getMore`'s `nextBatch`).
// Results are computed whole when the query runs, so a cursor reads the data as of its query.

/** The first batch when the client names none (MongoDB's default). */
export const DEFAULT_FIRST_BATCH = 101;
// Batches stay under the 16 MiB a reply document may hold, with room for the reply's own fields.
const BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface OpenCursor {
  readonly ns: string;
  readonly docs: Document[];
  position: number;
}

/** The cursor part of a reply: `{ cursor: { id, ns, firstBatch | nextBatch }, ok: 1 }`. */
function cursorReply(id: number, ns: string, batch: Document[], first: boolean): Document {
  return { cursor: { id: Long.fromNumber(id), ns, [first ? "firstBatch" : "nextBatch"]: batch }, ok: 1 };
}

/** The open cursors of one deployment. */
export class Cursors {
  private readonly open = new Map<number, OpenCursor>();
  private lastId = 0;

  /**
   * The first batch of `docs` (at most `batchSize`, default {@link DEFAULT_FIRST_BATCH}); the rest
   * stays behind a cursor id unless `singleBatch`.
   */
  first(ns: string, docs: Document[], batchSize = DEFAULT_FIRST_BATCH, singleBatch = false): Document {
    const cursor: OpenCursor = { ns, docs, position: 0 };
    const batch = take(cursor, batchSize);
    if (singleBatch || cursor.position >= docs.length) return cursorReply(0, ns, batch, true);
    const id = ++this.lastId;
    this.open.set(id, cursor);
    return cursorReply(id, ns, batch, true);
  }

  /** The next batch of cursor `id` (everything left, within the reply size, when no batch size is given). */
  next(id: number, ns: string, batchSize?: number): Document {
    const cursor = this.open.get(id);
    if (!cursor || cursor.ns !== ns) throw new CommandError("CursorNotFound", `cursor id ${id} not found`);
    const batch = take(cursor, batchSize ?? Number.MAX_SAFE_INTEGER);
    const done = cursor.position >= cursor.docs.length;
    if (done) this.open.delete(id);
    return cursorReply(done ? 0 : id, ns, batch, false);
  }

  /** Closes cursors; answers which existed. */
  kill(ids: readonly number[]): { killed: number[]; notFound: number[] } {
    const killed = ids.filter((id) => this.open.delete(id));
    return { killed, notFound: ids.filter((id) => !killed.includes(id)) };
  }
}

function take(cursor: OpenCursor, batchSize: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < batchSize) {
    const doc = cursor.docs[cursor.position]!;
    bytes += calculateObjectSize(doc);
    if (batch.length > 0 && bytes > BATCH_BYTES) break;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}
