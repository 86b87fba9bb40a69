import type { SeedSnapshot } from "../seed";
import { invalidParameter } from "./api-errors";

// The point-in-time query of listGroupClusterBackupSnapshots: `pointInTimeUtcSeconds`, or `oplogTs` with
// `oplogInc` (int64 each), "returns the closest snapshot created before that point in time"; the first is
// "mutually exclusive with `oplogTs` and `oplogInc`", and "`oplogTs` must be used with `oplogInc`".

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/** The moment (epoch seconds) the query names, or undefined when it names none; throws 400 on a bad one. */
export function pointInTimeOf(query: URLSearchParams): number | undefined {
  const int64 = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const value = /^-?\d{1,19}$/.test(raw) ? BigInt(raw) : undefined;
    if (value === undefined || value < INT64.min || value > INT64.max)
      throw invalidParameter(name, "must be a 64-bit integer");
    return Number(value);
  };
  const seconds = int64("pointInTimeUtcSeconds");
  const oplogTs = int64("oplogTs");
  const oplogInc = int64("oplogInc");
  if (seconds !== undefined && (oplogTs !== undefined || oplogInc !== undefined))
    throw invalidParameter("pointInTimeUtcSeconds", "is mutually exclusive with oplogTs and oplogInc");
  if ((oplogTs === undefined) !== (oplogInc === undefined))
    throw invalidParameter(
      oplogTs === undefined ? "oplogTs" : "oplogInc",
      "oplogTs must be used with oplogInc",
    );
  return seconds ?? oplogTs;
}

/** The newest completed snapshot of `newestFirst` taken at or before `seconds`, alone, or none. */
export function closestBefore(newestFirst: readonly SeedSnapshot[], seconds: number): SeedSnapshot[] {
  const found = newestFirst.find(
    (s) => s.status === "completed" && Date.parse(s.createdAt) <= seconds * 1000,
  );
  return found ? [found] : [];
}
