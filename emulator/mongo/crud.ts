import { type Document, EJSON, ObjectId } from "bson";
import { Query } from "mingo";

import type { Collection } from "../data/collection";
import { type Doc, idKey, valueAt } from "../data/documents";
import { put, remove } from "../data/history";
import {
  collectionName,
  collectionOf,
  type CommandContext,
  count,
  documentOption,
  type Handler,
  write,
} from "./context";
import { badValue, CommandError } from "./errors";
import { applyUpdate, cloneDoc, compileFilter, sameValue, upsertSeed } from "./updates";

// Reads and writes of documents: insert, find and its cursors, update, delete, findAndModify,
// count and distinct.

/** One failed document of a write: what `writeErrors` lists. */
interface WriteError {
  index: number;
  code: number;
  errmsg: string;
}

/** The E11000 error for a document that breaks a unique index. */
function duplicateKey(c: CommandContext, coll: string, index: string, key: Document): CommandError {
  const shown = EJSON.stringify(key, { relaxed: true });
  return new CommandError(
    "DuplicateKey",
    `E11000 duplicate key error collection: ${c.db}.${coll} index: ${index} dup key: ${shown}`,
  );
}

/** Stores `doc` (new when `replacing` is undefined), refusing what a unique index forbids. */
function store(c: CommandContext, coll: string, doc: Doc, replacing?: string): void {
  const collection = collectionOf(c, coll);
  const key = idKey(doc._id);
  if (replacing === undefined && collection?.get(key)) throw duplicateKey(c, coll, "_id_", { _id: doc._id });
  const conflict = collection?.uniqueConflict(doc, key);
  if (conflict) {
    const fields = Object.keys(conflict.index.key);
    throw duplicateKey(
      c,
      coll,
      conflict.index.name,
      Object.fromEntries(fields.map((f, i) => [f, conflict.values[i]])),
    );
  }
  write(c, [put(c.db, coll, doc)]);
}

/** Runs each item of a write batch; an ordered batch stops at its first error. */
function eachWrite<T>(
  c: CommandContext,
  items: unknown,
  run: (item: T, index: number) => void,
): WriteError[] {
  if (!Array.isArray(items)) throw badValue("the batch must be an array");
  const ordered = c.command.ordered !== false;
  const errors: WriteError[] = [];
  for (const [index, item] of (items as T[]).entries()) {
    try {
      run(item, index);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      errors.push({ index, code: error.code, errmsg: error.message });
      if (ordered) break;
    }
  }
  return errors;
}

function writeReply(fields: Document, errors: WriteError[]): Document {
  return { ...fields, ...(errors.length > 0 ? { writeErrors: errors } : {}), ok: 1 };
}

/** The documents of a collection matching `filter`, in natural order (none when it does not exist). */
function matching(collection: Collection | undefined, filter: unknown): Doc[] {
  if (!collection) return [];
  const query = compileFilter(filter);
  const found: Doc[] = [];
  for (const doc of collection.documents()) if (query.test(doc)) found.push(doc);
  return found;
}

/** Sorted matches: the first is what a single-document update or delete with `sort` takes. */
function sorted(docs: Doc[], sort: unknown): Doc[] {
  if (sort === undefined || sort === null || Object.keys(sort as Document).length === 0) return docs;
  return new Query({}, {})
    .find(docs)
    .sort(sort as Record<string, 1 | -1>)
    .all() as Doc[];
}

/** Documents with a projection applied (on copies: mingo's projection changes what it reads). */
function project(docs: Doc[], projection: Document): Doc[] {
  if (Object.keys(projection).length === 0) return docs;
  try {
    return new Query({}, {}).find(docs.map(cloneDoc), projection).all() as Doc[];
  } catch (error) {
    throw badValue((error as Error).message);
  }
}

const insert: Handler = (c) => {
  const coll = collectionName(c);
  let n = 0;
  const errors = eachWrite<Document>(c, c.command.documents, (doc) => {
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
      throw badValue("a document must be an object");
    // The driver adds _id itself; a client that does not gets one here, first as MongoDB puts it.
    store(c, coll, doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc);
    n++;
  });
  return writeReply({ n }, errors);
};

/** One statement of `update`: `{ q, u, multi, upsert, arrayFilters, sort }`. */
interface UpdateStatement {
  q?: Document;
  u?: Document | Document[];
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
}

/** Updates the matches of one statement; answers how many matched and changed, and an upserted `_id`. */
function updateOne(
  c: CommandContext,
  coll: string,
  s: UpdateStatement,
): { matched: number; modified: number; upserted?: unknown } {
  if (typeof s.u !== "object" || s.u === null) throw badValue("an update statement needs u");
  const found = matching(collectionOf(c, coll), s.q);
  const targets = s.multi ? found : sorted(found, s.sort).slice(0, 1);
  let modified = 0;
  for (const doc of targets) {
    const next = applyUpdate(doc, s.u, { ...(s.arrayFilters ? { arrayFilters: s.arrayFilters } : {}) });
    if (sameValue(next, doc)) continue;
    store(c, coll, next, idKey(doc._id));
    modified++;
  }
  if (targets.length > 0 || !s.upsert) return { matched: targets.length, modified };
  const seeded = applyUpdate(upsertSeed(s.q ?? {}), s.u, {
    ...(s.arrayFilters ? { arrayFilters: s.arrayFilters } : {}),
    inserting: true,
  });
  const doc = seeded._id === undefined ? { _id: new ObjectId(), ...seeded } : seeded;
  store(c, coll, doc);
  return { matched: 0, modified: 0, upserted: doc._id };
}

const update: Handler = (c) => {
  const coll = collectionName(c);
  let n = 0;
  let nModified = 0;
  const upserted: Array<{ index: number; _id: unknown }> = [];
  const errors = eachWrite<UpdateStatement>(c, c.command.updates, (s, index) => {
    const result = updateOne(c, coll, s);
    n += result.matched + (result.upserted !== undefined ? 1 : 0);
    nModified += result.modified;
    if (result.upserted !== undefined) upserted.push({ index, _id: result.upserted });
  });
  return writeReply({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}) }, errors);
};

const del: Handler = (c) => {
  const coll = collectionName(c);
  let n = 0;
  const errors = eachWrite<{ q?: Document; limit?: number }>(c, c.command.deletes, (s) => {
    const found = matching(collectionOf(c, coll), s.q);
    const targets = s.limit === 1 ? found.slice(0, 1) : found;
    write(
      c,
      targets.map((doc) => remove(c.db, coll, doc._id)),
    );
    n += targets.length;
  });
  return writeReply({ n }, errors);
};

const findAndModify: Handler = (c) => {
  const coll = collectionName(c);
  const found = sorted(matching(collectionOf(c, coll), c.command.query), c.command.sort)[0];
  const shown = (doc: Doc | undefined): Doc | null =>
    doc === undefined ? null : project([doc], documentOption(c, "fields"))[0]!;
  if (c.command.remove === true) {
    if (found) write(c, [remove(c.db, coll, found._id)]);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: shown(found), ok: 1 };
  }
  const u = c.command.update as Document | Document[] | undefined;
  if (typeof u !== "object" || u === null) throw badValue("findAndModify needs remove or update");
  const arrayFilters = c.command.arrayFilters as Document[] | undefined;
  if (found) {
    const next = applyUpdate(found, u, arrayFilters ? { arrayFilters } : {});
    if (!sameValue(next, found)) store(c, coll, next, idKey(found._id));
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shown(c.command.new ? next : found),
      ok: 1,
    };
  }
  if (c.command.upsert !== true)
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const seeded = applyUpdate(upsertSeed((c.command.query ?? {}) as Document), u, {
    inserting: true,
    ...(arrayFilters ? { arrayFilters } : {}),
  });
  const doc = seeded._id === undefined ? { _id: new ObjectId(), ...seeded } : seeded;
  store(c, coll, doc);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: c.command.new ? shown(doc) : null,
    ok: 1,
  };
};

const find: Handler = (c) => {
  const coll = collectionName(c);
  const collection = collectionOf(c, coll);
  const limit = count(c, "limit", 0)!;
  const skip = count(c, "skip", 0)!;
  if (skip < 0) throw badValue("skip must be >= 0");
  let docs: Doc[] = [];
  if (collection) {
    const cursor = compileFilter(c.command.filter).find(collection.documents());
    const sort = documentOption(c, "sort");
    if (Object.keys(sort).length > 0) cursor.sort(sort as Record<string, 1 | -1>);
    if (skip > 0) cursor.skip(skip);
    if (limit !== 0) cursor.limit(Math.abs(limit));
    docs = project(cursor.all() as Doc[], documentOption(c, "projection"));
  }
  // A negative limit asks for one batch (legacy); so does singleBatch.
  const single = c.command.singleBatch === true || limit < 0;
  return c.cursors.first(`${c.db}.${coll}`, docs, count(c, "batchSize"), single);
};

const getMore: Handler = (c) => {
  const id = c.command.getMore as unknown;
  if (typeof id !== "number") throw new CommandError("TypeMismatch", "getMore takes a cursor id");
  const coll = c.command.collection;
  if (typeof coll !== "string") throw new CommandError("TypeMismatch", "getMore needs the collection");
  return c.cursors.next(id, `${c.db}.${coll}`, count(c, "batchSize"));
};

const killCursors: Handler = (c) => {
  const ids = c.command.cursors;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== "number"))
    throw new CommandError("TypeMismatch", "killCursors takes an array of cursor ids");
  const { killed, notFound } = c.cursors.kill(ids as number[]);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const countCommand: Handler = (c) => {
  const collection = collectionOf(c, collectionName(c));
  const query = c.command.query as Document | undefined;
  // Without a query the count is the collection's size (estimatedDocumentCount), read without a scan.
  const all = query === undefined || query === null || Object.keys(query).length === 0;
  const found = all ? (collection?.size ?? 0) : matching(collection, query).length;
  const skip = count(c, "skip", 0)!;
  const limit = count(c, "limit", 0)!;
  const n = Math.max(0, found - skip);
  return { n: limit === 0 ? n : Math.min(n, Math.abs(limit)), ok: 1 };
};

const distinct: Handler = (c) => {
  const key = c.command.key;
  if (typeof key !== "string") throw new CommandError("TypeMismatch", "distinct needs key");
  const values = new Map<string, unknown>();
  for (const doc of matching(collectionOf(c, collectionName(c)), c.command.query)) {
    const value = valueAt(doc, key);
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) values.set(idKey(v), v);
  }
  return { values: [...values.values()], ok: 1 };
};

/** The document commands, by name. */
export const CRUD_COMMANDS: Record<string, Handler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  find,
  getMore,
  killCursors,
  count: countCommand,
  distinct,
};
