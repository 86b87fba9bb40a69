import * as t from "io-ts";

import { ClusterDeliveryType } from "../../atlas/cluster-wire";
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
  MAX_INT32,
  OplogIncrement,
  TimestampSeconds,
} from "../../restore/input-fields";

/** What `pulumi destroy` does with a job: only forget it, or cancel it in Atlas while it runs. */
export const OnDestroy = t.keyof({ forget: null, cancel: null });
export type OnDestroy = t.TypeOf<typeof OnDestroy>;

/** Longest on-demand snapshot description we send; Atlas documents none, so a generous line. */
export const MAX_DESCRIPTION_LENGTH = 1024;

const RetentionDays = new t.Type<number, number, unknown>(
  `integer of days from 1 to ${MAX_INT32}`,
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= MAX_INT32,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 1 && u <= MAX_INT32 ? t.success(u) : t.failure(u, c),
  t.identity,
);

const Description = new t.Type<string, string, unknown>(
  `string of at most ${MAX_DESCRIPTION_LENGTH} characters`,
  (u): u is string => typeof u === "string" && u.length <= MAX_DESCRIPTION_LENGTH,
  (u, c) => (typeof u === "string" && u.length <= MAX_DESCRIPTION_LENGTH ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const takeSnapshotFields = { retentionInDays: RetentionDays, description: Description };

/** `takeSnapshot`: take an on-demand snapshot of the source first, and restore exactly that one. */
export const TakeSnapshot = t.partial(takeSnapshotFields, "object with retentionInDays and description");
export type TakeSnapshot = t.TypeOf<typeof TakeSnapshot>;

const required = { groupId: AtlasId, clusterName: AtlasName, deliveryType: ClusterDeliveryType };
const optional = {
  snapshotId: AtlasId,
  // Its fields are checked one by one, each failure naming its own path.
  takeSnapshot: new t.Type("object", t.UnknownRecord.is, t.UnknownRecord.validate, t.identity),
  pointInTimeUTCSeconds: TimestampSeconds,
  oplogTs: TimestampSeconds,
  oplogInc: OplogIncrement,
  targetClusterName: AtlasName,
  targetGroupId: AtlasId,
  onDestroy: OnDestroy,
  ...commonOptional,
};

/** The inputs of a dedicated-cluster restore job after `check`: validated, defaults filled in. */
export const ClusterRestoreJobInputs = t.intersection([
  t.type({ ...required, onDestroy: OnDestroy }),
  t.partial({
    snapshotId: AtlasId,
    takeSnapshot: TakeSnapshot,
    pointInTimeUTCSeconds: TimestampSeconds,
    oplogTs: TimestampSeconds,
    oplogInc: OplogIncrement,
    targetClusterName: AtlasName,
    targetGroupId: AtlasId,
  }),
  CommonInputs,
]);
export type ClusterRestoreJobInputs = t.TypeOf<typeof ClusterRestoreJobInputs>;

const POINT_IN_TIME_FIELDS = ["pointInTimeUTCSeconds", "oplogTs", "oplogInc"] as const;

/**
 * Validates raw inputs and fills in defaults. Pure: no network, the time passed in. Returns every
 * failure at once, each naming its property, so that a request Atlas would refuse is never sent.
 */
export function checkClusterInputs(
  raw: Record<string, unknown>,
  nowSeconds: number,
): { inputs: Record<string, unknown>; failures: Failure[] } {
  const failures = [
    ...checkFields(raw, required, optional),
    ...takeSnapshotFailures(raw.takeSnapshot),
    ...crossFieldFailures(raw, nowSeconds),
  ];
  const download = raw.deliveryType === "download";
  const inputs: Record<string, unknown> = {
    ...withoutAbsent(raw),
    onDestroy: raw.onDestroy ?? "forget",
    ...commonDefaults(raw, !download),
  };
  if (!download) inputs.targetGroupId = raw.targetGroupId ?? raw.groupId;
  return { inputs, failures };
}

/** The rules of `dedicated-facts.md` (as Terraform and the Atlas CLI enforce them), and ours. */
function crossFieldFailures(raw: Record<string, unknown>, nowSeconds: number): Failure[] {
  const failures: Failure[] = [];
  const type = raw.deliveryType;
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;

  if (type === "download") {
    // A download writes to no cluster; Atlas refuses the target fields with it.
    for (const key of ["targetClusterName", "targetGroupId"]) {
      if (has(key)) failures.push({ property: key, reason: "not used with deliveryType download" });
    }
  } else if ((type === "automated" || type === "pointInTime") && !has("targetClusterName")) {
    failures.push({ property: "targetClusterName", reason: `required for deliveryType ${type}` });
  }

  if (has("snapshotId") && has("takeSnapshot")) {
    failures.push({ property: "takeSnapshot", reason: "give either snapshotId or takeSnapshot, not both" });
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
    // Atlas picks the snapshot a point in time starts from; a snapshot of our choosing would conflict.
    for (const key of ["snapshotId", "takeSnapshot"]) {
      if (has(key)) failures.push({ property: key, reason: "not used with deliveryType pointInTime" });
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

/** `takeSnapshot`'s own fields, each failure naming its path (`takeSnapshot.retentionInDays`). */
function takeSnapshotFailures(value: unknown): Failure[] {
  if (!known(value) || typeof value !== "object" || Array.isArray(value)) return [];
  const failures: Failure[] = [];
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const property = `takeSnapshot.${key}`;
    if (!Object.hasOwn(takeSnapshotFields, key)) {
      failures.push({ property, reason: "unknown property" });
    } else if (known(field)) {
      const codec = takeSnapshotFields[key as keyof typeof takeSnapshotFields];
      if (codec.decode(field)._tag === "Left") failures.push({ property, reason: `expected ${codec.name}` });
    }
  }
  return failures;
}

/** How `diff` treats each input of a dedicated-cluster restore job. */
export const clusterDiffRules: DiffRules = {
  replaceOnChange: [
    "groupId",
    "clusterName",
    "deliveryType",
    "snapshotId",
    "takeSnapshot",
    ...POINT_IN_TIME_FIELDS,
    "targetClusterName",
    "targetGroupId",
    ...commonDiffRules.replaceOnChange,
  ],
  updateOnChange: ["onDestroy", ...commonDiffRules.updateOnChange],
  // The outputs hold the snapshot actually restored; the user gave one only when snapshotSource says so.
  oldInput: (key, olds) => (key === "snapshotId" && olds.snapshotSource !== "input" ? undefined : olds[key]),
};

/** `check` treats null as absent, so it must not reach the checked inputs (the codec refuses it). */
function withoutAbsent(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
}
