import * as t from "io-ts";

import { ClusterDeliveryType } from "../../atlas/cluster-wire";
import { type DiffRules, snapshotIdAsGiven } from "../../restore/input-diff";
import {
  AtlasId,
  AtlasName,
  commonDiffRules,
  type Failure,
  known,
  MAX_INT32,
  OplogIncrement,
  printableName,
  TimestampSeconds,
} from "../../restore/input-fields";
import { defineInputs } from "../../restore/input-schema";
import { POINT_IN_TIME_FIELDS, pointInTimeFailures } from "../../restore/point-in-time-rules";

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

// A field not known until apply (preview) is judged when it is.
const isTakeSnapshot = (u: unknown): u is { retentionInDays?: number; description?: string } =>
  t.UnknownRecord.is(u) &&
  Object.entries(u).every(
    ([key, value]) =>
      Object.hasOwn(takeSnapshotFields, key) &&
      (!known(value) || takeSnapshotFields[key as keyof typeof takeSnapshotFields].is(value)),
  );

/**
 * `takeSnapshot`: take an on-demand snapshot of the source first, and restore exactly that one. Each
 * wrong field also gets a failure of its own path (`takeSnapshot.retentionInDays`).
 */
export const TakeSnapshot = new t.Type<{ retentionInDays?: number; description?: string }, unknown, unknown>(
  "object of retentionInDays and description",
  isTakeSnapshot,
  (u, c) => (isTakeSnapshot(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
export type TakeSnapshot = t.TypeOf<typeof TakeSnapshot>;

/** The one definition of a dedicated-cluster restore job's inputs: `check` and `create` both use it. */
const clusterInputs = defineInputs({
  required: { groupId: AtlasId, clusterName: AtlasName, deliveryType: ClusterDeliveryType },
  defaulted: { onDestroy: OnDestroy },
  optional: {
    snapshotId: AtlasId,
    takeSnapshot: TakeSnapshot,
    pointInTimeUTCSeconds: TimestampSeconds,
    oplogTs: TimestampSeconds,
    oplogInc: OplogIncrement,
    targetClusterName: AtlasName,
    targetGroupId: AtlasId,
  },
  writesToTarget: (raw) => raw.deliveryType !== "download",
  defaults: (raw) => ({
    onDestroy: raw.onDestroy ?? "forget",
    // A download writes to no cluster, so only the other types get a target project.
    ...(raw.deliveryType !== "download" ? { targetGroupId: raw.targetGroupId ?? raw.groupId } : {}),
  }),
  crossField: (raw, nowSeconds) => [
    ...takeSnapshotFailures(raw.takeSnapshot),
    ...crossFieldFailures(raw, nowSeconds),
  ],
});

/** The inputs of a dedicated-cluster restore job after `check`: validated, defaults filled in. */
export const ClusterRestoreJobInputs = clusterInputs.codec;
export type ClusterRestoreJobInputs = t.TypeOf<typeof ClusterRestoreJobInputs>;

/**
 * Validates raw inputs and fills in defaults (see {@link defineInputs}), so that a request Atlas
 * would refuse is never sent.
 */
export const checkClusterInputs = clusterInputs.check;

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

  failures.push(...pointInTimeFailures(raw, nowSeconds, ["snapshotId", "takeSnapshot"]));
  return failures;
}

/** `takeSnapshot`'s own fields, each failure naming its path (`takeSnapshot.retentionInDays`). */
function takeSnapshotFailures(value: unknown): Failure[] {
  if (!known(value) || typeof value !== "object" || Array.isArray(value)) return [];
  const failures: Failure[] = [];
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const property = `takeSnapshot.${printableName(key)}`;
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
  oldInput: snapshotIdAsGiven,
};
