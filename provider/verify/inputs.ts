import * as t from "io-ts";

import { queryProblems } from "./query";

/**
 * What a clone check asks, as a resource input: per collection, how many documents it must hold and
 * optionally a query that must match. One codec decodes it; `checkVerifyInputs` (check.ts) reports
 * every problem at once, each naming its property, for `check` (so bad input fails at preview). This
 * file imports nothing of the restore layer, whose inputs include this codec.
 */

/** The largest document count an input may name (JavaScript's safe integers). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** A count of documents: an integer from 0. */
export const DocumentCount = new t.Type<number, number, unknown>(
  "integer of documents from 0",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= MAX_COUNT,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= MAX_COUNT ? t.success(u) : t.failure(u, c),
  t.identity,
);

// MongoDB's naming rules: a database name has none of /\. "$*<>:|? and at most 63 characters; a
// collection name is not empty, has no $ and does not start with "system.".
const NAMESPACE = /^[^/\\. "$*<>:|?]{1,63}\.(?!system\.)[^$\0]+$/;

/** A namespace `database.collection`. */
export const Namespace = new t.Type<string, string, unknown>(
  "namespace <database>.<collection>",
  (u): u is string => typeof u === "string" && NAMESPACE.test(u),
  (u, c) => (typeof u === "string" && NAMESPACE.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A MongoDB query filter as JSON (Extended JSON allowed), with known operators only. */
export const QueryFilter = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
  "MongoDB query filter",
  (u): u is Record<string, unknown> => queryProblems(u, "filter").length === 0,
  (u, c) =>
    queryProblems(u, "filter").length === 0 ? t.success(u as Record<string, unknown>) : t.failure(u, c),
  t.identity,
);

/** How many documents a collection must hold: exactly, at least, or as many as the source had. */
export const CountExpectation = t.union(
  [
    t.strict({ exactly: DocumentCount }),
    t.strict({ atLeast: DocumentCount }),
    t.strict({ sameAsSource: t.literal(true) }),
  ],
  "one of { exactly: n }, { atLeast: n }, { sameAsSource: true }",
);
export type CountExpectation = t.TypeOf<typeof CountExpectation>;

/** A query that must match at least `atLeast` documents (default 1). */
export const QueryExpectation = t.intersection([
  t.strict({ filter: QueryFilter }),
  t.partial({ atLeast: DocumentCount }),
]);
export type QueryExpectation = t.TypeOf<typeof QueryExpectation>;

/** One collection's check. */
export const CollectionCheck = t.intersection([
  t.strict({ namespace: Namespace }),
  t.partial({ documents: CountExpectation, query: QueryExpectation }),
]);
export type CollectionCheck = t.TypeOf<typeof CollectionCheck>;

/** A clone check: the collections to look at. */
export const VerifyCloneInputs = t.strict({ collections: t.array(CollectionCheck) });
export type VerifyCloneInputs = t.TypeOf<typeof VerifyCloneInputs>;
