import { type Failure, known } from "./input-fields";

/** The inputs that name a moment to restore to. */
export const POINT_IN_TIME_FIELDS = ["pointInTimeUTCSeconds", "oplogTs", "oplogInc"] as const;

/**
 * The point-in-time rules the serverless and dedicated APIs share: `pointInTime` needs
 * `pointInTimeUTCSeconds` or `oplogTs` with `oplogInc`, never both, and neither in the future; the
 * other delivery types take none of them; `pointInTime` takes none of `snapshotFields` (Atlas picks the
 * snapshot it replays from). Each failure names its property.
 */
export function pointInTimeFailures(
  raw: Record<string, unknown>,
  nowSeconds: number,
  snapshotFields: readonly string[],
): Failure[] {
  const failures: Failure[] = [];
  const type = raw.deliveryType;
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;
  if (type !== "pointInTime") {
    if (!known(type)) return failures;
    for (const key of POINT_IN_TIME_FIELDS) {
      if (has(key)) failures.push({ property: key, reason: "only used with deliveryType pointInTime" });
    }
    return failures;
  }
  const byTime = has("pointInTimeUTCSeconds");
  const byOplog = has("oplogTs") || has("oplogInc");
  if (byTime && byOplog) {
    failures.push({
      property: "pointInTimeUTCSeconds",
      reason: "give either pointInTimeUTCSeconds or oplogTs with oplogInc, not both",
    });
  } else if (!byTime && !byOplog) {
    failures.push({
      property: "pointInTimeUTCSeconds",
      reason: "required for deliveryType pointInTime, unless oplogTs and oplogInc are given",
    });
  } else if (byOplog && !has("oplogTs")) {
    failures.push({ property: "oplogTs", reason: "required with oplogInc" });
  } else if (byOplog && !has("oplogInc")) {
    failures.push({ property: "oplogInc", reason: "required with oplogTs" });
  }
  for (const key of snapshotFields) {
    if (has(key)) failures.push({ property: key, reason: "not used with deliveryType pointInTime" });
  }
  for (const key of ["pointInTimeUTCSeconds", "oplogTs"]) {
    const value = raw[key];
    if (known(value) && typeof value === "number" && value > nowSeconds) {
      failures.push({ property: key, reason: "must not be in the future" });
    }
  }
  return failures;
}
