import { type Document, EJSON } from "bson";
import { Aggregator, Query, update as applyOperators } from "mingo";

import type { Doc } from "../data/documents";
import { badValue, CommandError } from "./errors";

// Update documents (operators such as $set, a replacement, or an aggregation pipeline) applied to a
// stored document, giving a new one: stored documents are never changed in place.

/** A copy of a document's plain objects and arrays; BSON values (ObjectId, Date…) are shared, never changed. */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = cloneDoc(field);
    return copy as T;
  }
  return value;
}

/** Whether an update document is made of operators (`$set`…) rather than a replacement. */
function isOperatorUpdate(update: Document): boolean {
  return Object.keys(update).some((key) => key.startsWith("$"));
}

/**
 * `doc` after `update`. `inserting` is set when the result is an upsert's new document, which
 * `$setOnInsert` then writes to. Throws a CommandError for an update MongoDB would refuse.
 */
export function applyUpdate(
  doc: Doc,
  update: Document | Document[],
  options: { arrayFilters?: Document[]; inserting?: boolean } = {},
): Doc {
  let next: Doc;
  if (Array.isArray(update)) {
    next = new Aggregator(update, {}).run([cloneDoc(doc)])[0] ?? {};
  } else if (isOperatorUpdate(update)) {
    const { $setOnInsert, ...operators } = update as Document & { $setOnInsert?: Document };
    next = cloneDoc(doc);
    const modifier =
      options.inserting && $setOnInsert
        ? { ...operators, $set: { ...operators.$set, ...$setOnInsert } }
        : operators;
    if (Object.keys(modifier).length > 0) {
      try {
        applyOperators(next, modifier, options.arrayFilters);
      } catch (error) {
        const message = (error as Error).message;
        throw new CommandError(
          /immutable field '_id'/.test(message) ? "ImmutableField" : "FailedToParse",
          message,
        );
      }
    }
  } else next = { _id: doc._id, ...update };
  if (doc._id !== undefined && !sameValue(next._id, doc._id))
    throw new CommandError(
      "ImmutableField",
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  return next._id === undefined ? next : { _id: next._id, ...next };
}

/** Whether two values are the same BSON value (same types, same order of fields). */
export function sameValue(a: unknown, b: unknown): boolean {
  return EJSON.stringify({ v: a }, { relaxed: false }) === EJSON.stringify({ v: b }, { relaxed: false });
}

/**
 * The document an upsert starts from: the query's equality conditions (`{ a: 1, "b.c": 2, $and: [...] }`)
 * as fields, as MongoDB builds it.
 */
export function upsertSeed(query: Document): Doc {
  const seed: Doc = {};
  const collect = (conditions: Document): void => {
    for (const [path, condition] of Object.entries(conditions)) {
      if (path === "$and" && Array.isArray(condition)) {
        for (const part of condition) collect(part as Document);
        continue;
      }
      if (path.startsWith("$")) continue;
      const isOperators =
        condition !== null &&
        typeof condition === "object" &&
        Object.getPrototypeOf(condition) === Object.prototype &&
        Object.keys(condition).some((k) => k.startsWith("$"));
      if (isOperators) {
        if ("$eq" in condition) setPath(seed, path, (condition as Document).$eq);
        continue;
      }
      setPath(seed, path, condition);
    }
  };
  collect(query);
  return seed;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const steps = path.split(".");
  let at: Record<string, unknown> = doc;
  for (const step of steps.slice(0, -1)) {
    if (typeof at[step] !== "object" || at[step] === null) at[step] = {};
    at = at[step] as Record<string, unknown>;
  }
  at[steps[steps.length - 1]!] = cloneDoc(value);
}

/** A compiled filter; a malformed one is the client's error (BadValue), not the server's. */
export function compileFilter(filter: unknown): Query {
  if (filter !== undefined && (typeof filter !== "object" || filter === null || Array.isArray(filter)))
    throw new CommandError("TypeMismatch", "the filter must be an object");
  try {
    return new Query((filter ?? {}) as Document, {});
  } catch (error) {
    throw badValue((error as Error).message);
  }
}
