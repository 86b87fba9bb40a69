import * as t from "io-ts";

import { ServerlessDeliveryType } from "../../atlas/wire";
import { type DiffRules, snapshotIdAsGiven } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  commonDiffRules,
  type Failure,
  OplogIncrement,
  TimestampSeconds,
} from "../../restore/input-fields";
import { defineInputs } from "../../restore/input-schema";
import { POINT_IN_TIME_FIELDS, pointInTimeFailures } from "../../restore/point-in-time-rules";

/** What `ServerlessRestoreJob` does when the serverless API is gone: use the Flex API, or fail. */
export const ApiFallback = t.keyof({ flex: null, none: null });

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
  failures.push(...pointInTimeFailures(raw, nowSeconds, ["snapshotId"]));
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
