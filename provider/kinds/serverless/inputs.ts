import * as t from "io-ts";

import { ServerlessDeliveryType } from "../../atlas/wire";
import { type DiffRules, snapshotIdAsGiven } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  commonDiffRules,
  type Failure,
  known,
  OplogIncrement,
  TimestampSeconds,
} from "../../restore/input-fields";
import { defineInputs } from "../../restore/input-schema";

/** What `ServerlessRestoreJob` does when the serverless API is gone: use the Flex API, or fail. */
export const ApiFallback = t.keyof({ flex: null, none: null });

const POINT_IN_TIME_FIELDS = ["pointInTimeUTCSeconds", "oplogTs", "oplogInc"] as const;

/** The one definition of a serverless restore job's inputs: `check` and `create` both use it. */
const serverlessInputs = defineInputs({
  required: { groupId: AtlasId, clusterName: AtlasName, deliveryType: ServerlessDeliveryType },
  defaulted: { targetGroupId: AtlasId, apiFallback: ApiFallback },
  optional: {
    snapshotId: AtlasId,
    pointInTimeUTCSeconds: TimestampSeconds,
    oplogTs: TimestampSeconds,
    oplogInc: OplogIncrement,
    targetClusterName: AtlasName,
  },
  writesToTarget: (raw) => raw.deliveryType !== "download",
  defaults: (raw) => ({
    targetGroupId: raw.targetGroupId ?? raw.groupId,
    apiFallback: raw.apiFallback ?? "flex",
    // The API requires a target even for downloads; the source instance is the natural one.
    ...(raw.deliveryType === "download"
      ? { targetClusterName: raw.targetClusterName ?? raw.clusterName }
      : {}),
  }),
  crossField: crossFieldFailures,
});

/** The inputs after `check`: validated, defaults filled in. This is what `create` and `diff` see. */
export const ServerlessRestoreJobInputs = serverlessInputs.codec;
export type ServerlessRestoreJobInputs = t.TypeOf<typeof ServerlessRestoreJobInputs>;

/** Validates raw serverless inputs and fills in defaults (see {@link defineInputs}). */
export const checkServerlessInputs = serverlessInputs.check;

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
  oldInput: snapshotIdAsGiven,
};
