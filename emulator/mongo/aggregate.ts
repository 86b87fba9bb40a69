import { type Document, ObjectId } from "bson";
import { Aggregator } from "mingo";

import { Collection } from "../data/collection";
import type { Doc } from "../data/documents";
import { collectionOf, cursorBatchSize, type Handler, write } from "./context";
import { badValue, CommandError, notSupported } from "./errors";
import { cloneDoc } from "./updates";

// The aggregate command, on mingo: every stage mingo has, `$lookup`, `$graphLookup` and
// `$unionWith` reading collections of the same database, and a final `$out` that replaces its
// target collection (keeping the target's indexes, as MongoDB does).

/** Where a final `$out` writes: `"coll"` or `{ db, coll }`. */
function outTarget(stage: unknown, db: string): { db: string; coll: string } {
  if (typeof stage === "string" && stage !== "") return { db, coll: stage };
  const target = stage as { db?: unknown; coll?: unknown } | null;
  if (typeof target?.coll === "string" && (target.db === undefined || typeof target.db === "string"))
    return { db: (target.db as string | undefined) ?? db, coll: target.coll };
  throw badValue("$out takes a collection name or { db, coll }");
}

const aggregate: Handler = (c) => {
  const pipeline = c.command.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError("TypeMismatch", "pipeline must be an array");
  if (c.command.explain === true) throw notSupported("explain");
  const stages = pipeline as Document[];
  const last = stages[stages.length - 1];
  if (stages.slice(0, -1).some((s) => "$out" in s)) throw badValue("$out can only be the final stage");
  if (stages.some((s) => "$merge" in s)) throw notSupported("$merge");
  const out = last && "$out" in last ? outTarget(last.$out, c.db) : undefined;
  const run = out ? stages.slice(0, -1) : stages;

  const name = Object.values(c.command)[0];
  let input: Iterable<Doc>;
  if (name === 1) input = [];
  else if (typeof name === "string" && name !== "") input = collectionOf(c, name)?.documents() ?? [];
  else throw new CommandError("InvalidNamespace", `Invalid collection name: ${String(name)}`);

  // mingo changes the documents it reads (it was made for throw-away arrays): it reads copies.
  const copies = function* (docs: Iterable<Doc>): Generator<Doc> {
    for (const doc of docs) yield cloneDoc(doc);
  };
  let results: Doc[];
  try {
    results = new Aggregator(run, {
      collectionResolver: (other: string) => [...copies(collectionOf(c, other)?.documents() ?? [])],
    }).run(copies(input));
  } catch (error) {
    const message = (error as Error).message;
    const stage = /unregistered pipeline operator (\$\w+)/.exec(message)?.[1];
    if (stage)
      throw new CommandError("UnrecognizedPipelineStage", `Unrecognized pipeline stage name: '${stage}'`);
    throw badValue(message);
  }

  const ns = `${c.db}.${typeof name === "string" ? name : "$cmd.aggregate"}`;
  if (!out) return c.cursors.first(ns, results, cursorBatchSize(c));
  const existing = collectionOf(c, out.coll, out.db);
  const docs = results.map((doc) => (doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc));
  const collection = Collection.of(docs, existing?.indexes.slice(1) ?? []);
  if (collection.size !== docs.length)
    throw new CommandError(
      "DuplicateKey",
      `E11000 duplicate key error collection: ${out.db}.${out.coll} index: _id_`,
    );
  write(c, [{ op: "replace", db: out.db, coll: out.coll, collection }]);
  return c.cursors.first(ns, [], 0);
};

/** The aggregation commands, by name. */
export const AGGREGATE_COMMANDS: Record<string, Handler> = { aggregate };
