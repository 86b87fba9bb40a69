import type { CollectionCheck, CountExpectation } from "./inputs";

/** What was found in one collection of the target. */
export interface FoundCollection {
  /** Whether the collection exists. */
  readonly exists: boolean;
  /** Its documents. */
  readonly documents: number;
  /** Documents matching the check's query, when it has one. */
  readonly matching?: number;
}

/** One collection's outcome: what was expected, what was found, and whether that is good. */
export interface CollectionResult {
  readonly namespace: string;
  /** What the count had to be, in words: `exactly 5000`, `at least 1`, `as the source: 5000`. */
  readonly expected?: string;
  /** Documents found (0 when the collection does not exist). */
  readonly found: number;
  readonly exists: boolean;
  /** The query's outcome, when the check has one. */
  readonly query?: { readonly expectedAtLeast: number; readonly matching: number; readonly ok: boolean };
  readonly ok: boolean;
}

/** The outcome of a clone check. */
export interface VerifyResult {
  readonly ok: boolean;
  readonly collections: readonly CollectionResult[];
  /**
   * One line naming every collection that failed and its counts, e.g.
   * `clone check failed: orders.customers: expected exactly 5000 documents, found 4990`; absent when ok.
   */
  readonly failure?: string;
}

/**
 * Compares what was found with what was asked. Pure.
 * @param sourceCounts the source's documents per namespace, as Atlas reports them (for `sameAsSource`)
 */
export function compareClone(
  checks: readonly CollectionCheck[],
  found: ReadonlyMap<string, FoundCollection>,
  sourceCounts: ReadonlyMap<string, number> = new Map(),
): VerifyResult {
  const failures: string[] = [];
  const collections = checks.map((check): CollectionResult => {
    const seen = found.get(check.namespace) ?? { exists: false, documents: 0 };
    const count =
      check.documents && countOutcome(check.documents, seen.documents, sourceCounts.get(check.namespace));
    const expectedAtLeast = check.query?.atLeast ?? 1;
    const query = check.query && {
      expectedAtLeast,
      matching: seen.matching ?? 0,
      ok: (seen.matching ?? 0) >= expectedAtLeast,
    };
    const missing = seen.exists ? "" : " (no such collection)";
    const problems = [
      ...(count && !count.ok ? [`${count.problem}, found ${seen.documents}${missing}`] : []),
      ...(query && !query.ok
        ? [`query matched ${query.matching} documents, expected at least ${expectedAtLeast}`]
        : []),
    ];
    if (problems.length > 0) failures.push(`${check.namespace}: ${problems.join(", ")}`);
    return {
      namespace: check.namespace,
      ...(count ? { expected: count.expected } : {}),
      found: seen.documents,
      exists: seen.exists,
      ...(query ? { query } : {}),
      ok: problems.length === 0,
    };
  });
  return {
    ok: failures.length === 0,
    collections,
    ...(failures.length > 0 ? { failure: `clone check failed: ${failures.join("; ")}` } : {}),
  };
}

function countOutcome(
  expectation: CountExpectation,
  found: number,
  source: number | undefined,
): { expected: string; ok: boolean; problem: string } {
  const outcome = (expected: string, ok: boolean, problem = `expected ${expected} documents`) => ({
    expected,
    ok,
    problem,
  });
  if ("exactly" in expectation)
    return outcome(`exactly ${expectation.exactly}`, found === expectation.exactly);
  if ("atLeast" in expectation)
    return outcome(`at least ${expectation.atLeast}`, found >= expectation.atLeast);
  // Without the source's count there is nothing to compare with: that is a failure, not a pass.
  if (source === undefined)
    return outcome("as the source", false, "expected the source's count, which Atlas did not report");
  return outcome(`as the source: ${source}`, found === source, `expected the source's ${source} documents`);
}
