import { type Failure, printableName, UNKNOWN } from "../restore/input-fields";
import { CountExpectation, DocumentCount, Namespace, QueryFilter } from "./inputs";
import { queryProblems } from "./query";

/** What `check` knows about the restore a clone check follows. */
export interface VerifyContext {
  /**
   * What the restore writes, where its inputs say (a collection-level restore): these collections, and
   * every collection of these databases; a check naming another is refused. Undefined when not
   * knowable (a whole-cluster restore, or a list Pulumi does not know yet at preview).
   */
  readonly writes?: { readonly collections: readonly string[]; readonly databases: readonly string[] };
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
      else if (context.writes && !writesTo(context.writes, namespace))
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

function writesTo(writes: NonNullable<VerifyContext["writes"]>, namespace: string): boolean {
  return (
    writes.collections.includes(namespace) ||
    writes.databases.includes(namespace.slice(0, namespace.indexOf(".")))
  );
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
