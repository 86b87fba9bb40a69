import * as t from "io-ts";

import { type Failure, printableName, UNKNOWN } from "../restore/input-fields";
import { queryProblems } from "./query";

/**
 * What a clone check asks, as a resource input: per collection, how many documents it must hold and
 * optionally a query that must match. One codec decodes it; {@link checkVerifyInputs} reports every
 * problem at once, each naming its property, for `check` (so bad input fails at preview).
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

/** What `check` knows about the restore a clone check follows. */
export interface VerifyContext {
  /**
   * The namespaces the restore writes, where the inputs say (a collection-level restore's target
   * namespaces); a check naming another is refused. Undefined when not knowable (a whole-cluster restore).
   */
  readonly knownNamespaces?: readonly string[];
  /** Whether Atlas reports the source's documents per collection (collection-level restores do). */
  readonly sourceCountsReported: boolean;
}

const COUNT_KEYS = ["exactly", "atLeast", "sameAsSource"];

/**
 * Checks a clone check's raw input (`property` is its name, e.g. `verify`): every failure at once,
 * each naming the property (`verify.collections[1].documents.exactly`) and never printing a value.
 * Values Pulumi does not know yet (preview) are skipped. Pure.
 */
export function checkVerifyInputs(raw: unknown, context: VerifyContext, property = "verify"): Failure[] {
  if (raw === UNKNOWN || raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw))
    return [{ property, reason: "expected an object with collections" }];
  const failures: Failure[] = [];
  const fail = (at: string, reason: string) => failures.push({ property: at, reason });
  const unknownKeys = (value: Record<string, unknown>, allowed: readonly string[], at: string) => {
    for (const key of Object.keys(value))
      if (!allowed.includes(key)) fail(`${at}.${printableName(key)}`, "unknown property");
  };
  const input = raw as Record<string, unknown>;
  unknownKeys(input, ["collections"], property);
  const collections = input.collections;
  if (collections === UNKNOWN) return failures;
  if (!Array.isArray(collections) || collections.length === 0) {
    fail(`${property}.collections`, "expected a non-empty array of collection checks");
    return failures;
  }
  const seen = new Set<string>();
  collections.forEach((entry: unknown, i) => {
    const at = `${property}.collections[${i}]`;
    if (entry === UNKNOWN) return;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      fail(at, "expected an object with namespace");
      return;
    }
    const check = entry as Record<string, unknown>;
    unknownKeys(check, ["namespace", "documents", "query"], at);
    const namespace = check.namespace;
    if (namespace !== UNKNOWN) {
      if (!Namespace.is(namespace)) fail(`${at}.namespace`, `expected ${Namespace.name}`);
      else if (seen.has(namespace)) fail(`${at}.namespace`, "checked twice");
      else if (context.knownNamespaces && !context.knownNamespaces.includes(namespace))
        fail(`${at}.namespace`, "not a collection this restore writes");
      if (typeof namespace === "string") seen.add(namespace);
    }
    if (check.documents === undefined && check.query === undefined)
      fail(at, "expected documents, query or both");
    if (check.documents !== undefined && check.documents !== UNKNOWN)
      failures.push(...countFailures(check.documents, `${at}.documents`, context));
    if (check.query !== undefined && check.query !== UNKNOWN)
      failures.push(...queryFailures(check.query, `${at}.query`));
  });
  return failures;
}

function countFailures(documents: unknown, at: string, context: VerifyContext): Failure[] {
  if (typeof documents !== "object" || documents === null || Array.isArray(documents))
    return [{ property: at, reason: `expected ${CountExpectation.name}` }];
  const keys = Object.keys(documents);
  const given = keys.filter((k) => COUNT_KEYS.includes(k));
  const failures: Failure[] = keys
    .filter((k) => !COUNT_KEYS.includes(k))
    .map((k) => ({ property: `${at}.${printableName(k)}`, reason: "unknown property" }));
  if (given.length !== 1) return [...failures, { property: at, reason: `expected ${CountExpectation.name}` }];
  const key = given[0]!;
  const value = (documents as Record<string, unknown>)[key];
  if (value === UNKNOWN) return failures;
  if (key === "sameAsSource") {
    if (value !== true) failures.push({ property: `${at}.sameAsSource`, reason: "expected true" });
    else if (!context.sourceCountsReported)
      failures.push({
        property: `${at}.sameAsSource`,
        reason:
          "Atlas reports the source's counts for collection-level restores only; expected exactly or atLeast",
      });
  } else if (!DocumentCount.is(value))
    failures.push({ property: `${at}.${key}`, reason: `expected ${DocumentCount.name}` });
  return failures;
}

function queryFailures(query: unknown, at: string): Failure[] {
  if (typeof query !== "object" || query === null || Array.isArray(query))
    return [{ property: at, reason: "expected an object with filter" }];
  const { filter, atLeast, ...rest } = query as Record<string, unknown>;
  const failures: Failure[] = Object.keys(rest).map((k) => ({
    property: `${at}.${printableName(k)}`,
    reason: "unknown property",
  }));
  if (filter === undefined)
    failures.push({ property: `${at}.filter`, reason: `required, expected ${QueryFilter.name}` });
  else if (filter !== UNKNOWN)
    for (const problem of queryProblems(filter, `${at}.filter`)) {
      const colon = problem.indexOf(": ");
      failures.push({ property: problem.slice(0, colon), reason: problem.slice(colon + 2) });
    }
  if (atLeast !== undefined && atLeast !== UNKNOWN && !DocumentCount.is(atLeast))
    failures.push({ property: `${at}.atLeast`, reason: `expected ${DocumentCount.name}` });
  return failures;
}
