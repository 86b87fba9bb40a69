import * as t from "io-ts";

import { ServerlessDeliveryType } from "../../atlas/wire";
import type { DiffRules } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  checkFields,
  commonDefaults,
  commonDiffRules,
  CommonInputs,
  commonOptional,
  type Failure,
  known,
  OplogIncrement,
  TimestampSeconds,
} from "../../restore/input-fields";

/** What `ServerlessRestoreJob` does when the serverless API is gone: use the Flex API, or fail. */
export const ApiFallback = t.keyof({ flex: null, none: null });

const required = { groupId: AtlasId, clusterName: AtlasName, deliveryType: ServerlessDeliveryType };
const optional = {
  snapshotId: AtlasId,
  pointInTimeUTCSeconds: TimestampSeconds,
  oplogTs: TimestampSeconds,
  oplogInc: OplogIncrement,
  targetClusterName: AtlasName,
  targetGroupId: AtlasId,
  apiFallback: ApiFallback,
  ...commonOptional,
};

/** The inputs after `check`: validated, defaults filled in. This is what `create` and `diff` see. */
export const ServerlessRestoreJobInputs = t.intersection([
  t.type({ ...required, targetGroupId: AtlasId, apiFallback: ApiFallback }),
  t.partial({
    snapshotId: AtlasId,
    pointInTimeUTCSeconds: TimestampSeconds,
    oplogTs: TimestampSeconds,
    oplogInc: OplogIncrement,
    targetClusterName: AtlasName,
  }),
  CommonInputs,
]);
export type ServerlessRestoreJobInputs = t.TypeOf<typeof ServerlessRestoreJobInputs>;

const POINT_IN_TIME_FIELDS = ["pointInTimeUTCSeconds", "oplogTs", "oplogInc"] as const;

/**
 * Validates raw inputs and fills in defaults. Pure: no network, the time passed in. Returns every
 * failure at once, each naming its property.
 */
export function checkServerlessInputs(
  raw: Record<string, unknown>,
  nowSeconds: number,
): { inputs: Record<string, unknown>; failures: Failure[] } {
  const failures = [...checkFields(raw, required, optional), ...crossFieldFailures(raw, nowSeconds)];
  const inputs: Record<string, unknown> = {
    ...withoutAbsent(raw),
    targetGroupId: raw.targetGroupId ?? raw.groupId,
    apiFallback: raw.apiFallback ?? "flex",
    ...commonDefaults(raw, raw.deliveryType !== "download"),
  };
  // The API requires a target even for downloads; the source instance is the natural one.
  if (raw.deliveryType === "download" && inputs.targetClusterName === undefined) {
    inputs.targetClusterName = raw.clusterName;
  }
  return { inputs, failures };
}

function crossFieldFailures(raw: Record<string, unknown>, nowSeconds: number): Failure[] {
  const failures: Failure[] = [];
  const type = raw.deliveryType;
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;

  if ((type === "automated" || type === "pointInTime") && !has("targetClusterName")) {
    failures.push({ property: "targetClusterName", reason: `required for deliveryType ${type}` });
  }
  if (type === "pointInTime") {
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
    if (has("snapshotId")) {
      failures.push({ property: "snapshotId", reason: "not used with deliveryType pointInTime" });
    }
    for (const key of ["pointInTimeUTCSeconds", "oplogTs"]) {
      const value = raw[key];
      if (known(value) && typeof value === "number" && value > nowSeconds) {
        failures.push({ property: key, reason: "must not be in the future" });
      }
    }
  } else if (known(type)) {
    for (const key of POINT_IN_TIME_FIELDS) {
      if (has(key)) failures.push({ property: key, reason: "only used with deliveryType pointInTime" });
    }
  }
  return failures;
}

/** How `diff` treats each input of a serverless restore job. */
export const serverlessDiffRules: DiffRules = {
  replaceOnChange: [
    "groupId",
    "clusterName",
    "deliveryType",
    "snapshotId",
    ...POINT_IN_TIME_FIELDS,
    "targetClusterName",
    "targetGroupId",
    ...commonDiffRules.replaceOnChange,
  ],
  updateOnChange: ["apiFallback", ...commonDiffRules.updateOnChange],
  // The outputs hold the snapshot actually restored; the user gave one only when snapshotSource says so.
  oldInput: (key, olds) => (key === "snapshotId" && olds.snapshotSource !== "input" ? undefined : olds[key]),
};

/** `check` treats null as absent, so it must not reach the checked inputs (the codec refuses it). */
function withoutAbsent(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
}
