import { Collection, copyDatabases, type Databases, type IndexSpec } from "./collection";
import { type Doc, idKey } from "./documents";

// A cluster's data through time. Every write is kept as an effect with its time and oplog timestamp,
// and a restore starts a new epoch from a whole copy, so the data as of any moment (a snapshot's time,
// a point in time, an oplog position) is the epoch's copy with the effects up to it replayed.

/** An oplog timestamp: seconds and an increment within that second, as MongoDB's `Timestamp`. */
export interface OplogTime {
  readonly t: number;
  readonly i: number;
}

/** The largest increment: `{ t, i: LAST_INC }` is the end of second `t`. */
export const LAST_INC = 0xffff_ffff;

/** A moment to read the data at: emulator milliseconds (a snapshot's time) or an oplog position (inclusive). */
export type Moment = { readonly ms: number } | { readonly ts: OplogTime };

/** One change to a cluster's data, replayable on a copy. */
export type Effect =
  | { op: "put"; db: string; coll: string; doc: Doc }
  | { op: "delete"; db: string; coll: string; key: string }
  | { op: "create"; db: string; coll: string; options: Doc }
  | { op: "drop"; db: string; coll: string }
  | { op: "dropDatabase"; db: string }
  | { op: "index"; db: string; coll: string; index: IndexSpec }
  | { op: "dropIndex"; db: string; coll: string; name: string }
  /** A whole collection replaced (a collection-level restore, an aggregation's `$out`). */
  | { op: "replace"; db: string; coll: string; collection: Collection };

interface Entry {
  readonly ms: number;
  readonly ts: OplogTime;
  readonly effect: Effect;
}

interface Epoch {
  readonly ms: number;
  readonly ts: OplogTime;
  /** The data the epoch started with; never changed. */
  readonly base: Databases;
  readonly log: Entry[];
}

/** Whether oplog time `a` is before or at `b`. */
function notAfter(a: OplogTime, b: OplogTime): boolean {
  return a.t < b.t || (a.t === b.t && a.i <= b.i);
}

function within(entry: { ms: number; ts: OplogTime }, moment: Moment): boolean {
  return "ms" in moment ? entry.ms <= moment.ms : notAfter(entry.ts, moment.ts);
}

/** Applies one effect to `databases` (changing them). */
export function applyEffect(databases: Databases, effect: Effect): void {
  const collections = (): Map<string, Collection> => {
    let found = databases.get(effect.db);
    if (!found) databases.set(effect.db, (found = new Map()));
    return found;
  };
  const collection = (coll: string): Collection => {
    let found = collections().get(coll);
    if (!found) collections().set(coll, (found = Collection.empty()));
    return found;
  };
  switch (effect.op) {
    case "put":
      return collection(effect.coll).put(effect.doc);
    case "delete":
      collection(effect.coll).delete(effect.key);
      return;
    case "create":
      if (!collections().has(effect.coll)) collections().set(effect.coll, Collection.empty(effect.options));
      return;
    case "drop":
      databases.get(effect.db)?.delete(effect.coll);
      if (databases.get(effect.db)?.size === 0) databases.delete(effect.db);
      return;
    case "dropDatabase":
      databases.delete(effect.db);
      return;
    case "index":
      collection(effect.coll).addIndex(effect.index);
      return;
    case "dropIndex":
      collection(effect.coll).dropIndex(effect.name);
      return;
    case "replace":
      collections().set(effect.coll, effect.collection.copy());
      return;
  }
}

/** The effect of storing `doc` in `db.coll`. */
export const put = (db: string, coll: string, doc: Doc): Effect => ({ op: "put", db, coll, doc });

/** The effect of removing the document with `_id` `id` from `db.coll`. */
export const remove = (db: string, coll: string, id: unknown): Effect => ({
  op: "delete",
  db,
  coll,
  key: idKey(id),
});

/**
 * A cluster's data now and as it was. Time only moves forward here: a write or restore stamped
 * before the newest entry is recorded at the newest entry's time, so the log stays in order.
 */
export class ClusterHistory {
  private readonly epochs: Epoch[];
  /** The data now: the last epoch's base with its log applied. */
  private live: Databases;
  private last: { ms: number; ts: OplogTime };

  /** @param initial the data before anything happened (the seed's), from the beginning of time */
  constructor(initial: Databases) {
    const start = { ms: -Infinity, ts: { t: 0, i: 0 } };
    this.epochs = [{ ...start, base: copyDatabases(initial), log: [] }];
    this.live = copyDatabases(initial);
    this.last = start;
  }

  /** The data now. Change it only through {@link write}. */
  get current(): Databases {
    return this.live;
  }

  /** The oplog time of the newest change. */
  get lastTime(): OplogTime {
    return this.last.ts;
  }

  /** Applies effects at emulator time `ms`, each with its own oplog timestamp; answers the last one. */
  write(ms: number, effects: readonly Effect[]): OplogTime {
    const epoch = this.epochs[this.epochs.length - 1]!;
    for (const effect of effects) {
      const stamp = this.stamp(ms);
      applyEffect(this.live, effect);
      epoch.log.push({ ...stamp, effect });
    }
    return this.last.ts;
  }

  /** From emulator time `ms` on, the data is `databases` (a restore): what was there is gone. */
  replaceAll(ms: number, databases: Databases): OplogTime {
    const stamp = this.stamp(ms);
    this.epochs.push({ ...stamp, base: copyDatabases(databases), log: [] });
    this.live = copyDatabases(databases);
    return stamp.ts;
  }

  /** A copy of the data as it was at `moment` (empty before the first epoch). */
  at(moment: Moment): Databases {
    const epoch = [...this.epochs].reverse().find((e) => within(e, moment));
    if (!epoch) return new Map();
    const lastEntry = epoch.log[epoch.log.length - 1];
    if (epoch === this.epochs[this.epochs.length - 1] && (!lastEntry || within(lastEntry, moment)))
      return copyDatabases(this.live);
    const databases = copyDatabases(epoch.base);
    for (const entry of epoch.log) {
      if (!within(entry, moment)) break;
      applyEffect(databases, entry.effect);
    }
    return databases;
  }

  /** The next stamp at `ms`, never before the last one. */
  private stamp(ms: number): { ms: number; ts: OplogTime } {
    const at = Math.max(ms, this.last.ms);
    const t = Math.max(Math.floor(at / 1000), this.last.ts.t);
    const ts = { t, i: t === this.last.ts.t ? this.last.ts.i + 1 : 1 };
    this.last = { ms: at, ts };
    return this.last;
  }
}
