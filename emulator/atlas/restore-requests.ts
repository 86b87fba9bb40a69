import type { SeedCluster } from "../seed";
import { type ClusterApi, restoreKindOf, type StoredJob } from "../state/restore-jobs";
import type { TakenSnapshot } from "../state/store";
import {
  invalidAttribute,
  invalidRestoreTime,
  missingAttribute,
  pointInTimeNotEnabled,
  snapshotNotFound,
} from "./api-errors";
import { CLUSTER_RESTORE_WINDOW_MS, RESTORE_WINDOW_MS } from "./backup-policy";
import { newObjectId } from "./ids";
import { checkProject, completedSnapshot, findCluster, newestFirst, pathCluster } from "./lookups";
import type { OperationContext } from "./operation-context";
import {
  DiskBackupOnDemandSnapshotRequest,
  DiskBackupSnapshotRestoreJob,
  FlexBackupRestoreJobCreate20241113,
  FlexBackupSnapshotDownloadCreate20241113,
  type Schema,
  ServerlessBackupRestoreJob,
} from "./request-schemas";
import { validateBody } from "./request-validation";

// What a create operation records: the request checked against its schema and the store, then one
// stored job, persisted before the answer is sent.

type JobFields = Partial<StoredJob> & Pick<StoredJob, "deliveryType" | "snapshotId" | "snapshotCreatedAt">;

function newJob(c: OperationContext, api: ClusterApi, cluster: SeedCluster, fields: JobFields): StoredJob {
  const kind = restoreKindOf(api, fields.deliveryType);
  const job: StoredJob = {
    id: newObjectId(c.now),
    api,
    groupId: cluster.groupId,
    clusterName: cluster.name,
    createdAt: c.now,
    durationMs: Math.max(1, Math.round(c.options.restoreDurationMs[kind] / c.options.timeScale)),
    downloadTtlMs: c.options.downloadTtlMs,
    fails: c.store.failsRestores(fields.snapshotId),
    ...fields,
  };
  c.store.addJob(job);
  return job;
}

/** The target of a restore into a cluster: it must exist and the caller must be allowed there. */
function target(c: OperationContext, api: ClusterApi, groupId: string, name: string) {
  checkProject(c.store, c.caller, groupId);
  findCluster(c, api, name, groupId);
  return { targetGroupId: groupId, targetClusterName: name };
}

/** What differs between the serverless and the dedicated restore-job create. */
interface BackupJobRules {
  readonly api: "serverless" | "cluster";
  readonly schema: Schema;
  readonly windowMs: number;
  readonly windowText: string;
}

const SERVERLESS_RULES: BackupJobRules = {
  api: "serverless",
  schema: ServerlessBackupRestoreJob,
  windowMs: RESTORE_WINDOW_MS.serverless,
  windowText: "72 hours",
};

const CLUSTER_RULES: BackupJobRules = {
  api: "cluster",
  schema: DiskBackupSnapshotRestoreJob,
  windowMs: CLUSTER_RESTORE_WINDOW_MS,
  windowText: "7 days",
};

/** The snapshot a point-in-time restore starts from: the newest completed one before the time. */
function pointInTimeSnapshot(c: OperationContext, rules: BackupJobRules, cluster: SeedCluster, body: Body) {
  const moment = (body.pointInTimeUTCSeconds ?? body.oplogTs) as number | undefined;
  if (moment === undefined) throw missingAttribute("pointInTimeUTCSeconds");
  if (body.oplogTs !== undefined && body.oplogInc === undefined) throw missingAttribute("oplogInc");
  if (rules.api === "cluster") {
    if (body.oplogInc !== undefined && body.oplogTs === undefined) throw missingAttribute("oplogTs");
    if (body.pointInTimeUTCSeconds !== undefined && body.oplogTs !== undefined)
      throw invalidAttribute("oplogTs", "is mutually exclusive with pointInTimeUTCSeconds");
    if (cluster.pitEnabled === false) throw pointInTimeNotEnabled(cluster.name);
  }
  if (moment * 1000 > c.now) throw invalidRestoreTime("the point in time is in the future");
  if (moment * 1000 < c.now - rules.windowMs)
    throw invalidRestoreTime(
      `the point in time is before the restore window of the last ${rules.windowText}`,
    );
  const snapshot = newestFirst(c, rules.api, cluster).find(
    (s) => s.status === "completed" && Date.parse(s.createdAt) <= moment * 1000,
  );
  if (!snapshot) throw invalidRestoreTime("no completed snapshot precedes the point in time");
  return snapshot;
}

type Body = Record<string, unknown>;

/** `createGroupServerlessBackupRestoreJob` and `createGroupClusterBackupRestoreJob`: automated, download or point-in-time. */
function createBackupJob(c: OperationContext, rules: BackupJobRules): StoredJob {
  const cluster = pathCluster(c, rules.api);
  const body = validateBody(rules.schema, c.body);
  const deliveryType = body.deliveryType as StoredJob["deliveryType"];
  const download = deliveryType === "download";
  let into = {};
  if (rules.api === "cluster" && download) {
    // Atlas's rule as Terraform enforces it: a download names no target.
    for (const field of ["targetClusterName", "targetGroupId"])
      if (body[field] !== undefined) throw invalidAttribute(field, "must not be set for a download");
  } else {
    for (const field of ["targetClusterName", "targetGroupId"])
      if (body[field] === undefined) throw missingAttribute(field);
    into = target(c, rules.api, body.targetGroupId as string, body.targetClusterName as string);
  }
  let snapshot;
  if (deliveryType === "pointInTime") snapshot = pointInTimeSnapshot(c, rules, cluster, body);
  else if (body.snapshotId === undefined) {
    // Atlas answers a dedicated download without a snapshot with SNAPSHOT_NOT_FOUND (Terraform's tests).
    if (rules.api === "cluster" && download) throw snapshotNotFound("(none)", cluster.name);
    throw missingAttribute("snapshotId");
  } else snapshot = completedSnapshot(c, rules.api, cluster, body.snapshotId as string);
  return newJob(c, rules.api, cluster, {
    deliveryType,
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
    ...into,
    ...(body.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: body.pointInTimeUTCSeconds as number }
      : {}),
    ...(body.oplogTs !== undefined
      ? { oplogTs: body.oplogTs as number, oplogInc: body.oplogInc as number }
      : {}),
  });
}

/** `createGroupServerlessBackupRestoreJob`. */
export const createServerlessJob = (c: OperationContext): StoredJob => createBackupJob(c, SERVERLESS_RULES);

/** `createGroupClusterBackupRestoreJob`. */
export const createClusterJob = (c: OperationContext): StoredJob => createBackupJob(c, CLUSTER_RULES);

/** `takeGroupClusterBackupSnapshots`: an on-demand snapshot, queued at once. */
export function takeClusterSnapshot(c: OperationContext): TakenSnapshot {
  const cluster = pathCluster(c, "cluster");
  // The OpenAPI requires a body (`{}` takes a snapshot with the defaults): none, or `null`, is refused.
  const body = validateBody(DiskBackupOnDemandSnapshotRequest, c.body);
  const snapshot: TakenSnapshot = {
    id: newObjectId(c.now),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    takenAt: c.now,
    durationMs: Math.max(1, Math.round(c.options.snapshotDurationMs / c.options.timeScale)),
    ...(body.description !== undefined ? { description: body.description as string } : {}),
    ...(body.retentionInDays !== undefined ? { retentionDays: body.retentionInDays as number } : {}),
  };
  c.store.addTakenSnapshot(snapshot);
  return snapshot;
}

/** `createGroupFlexClusterBackupRestoreJob`: a snapshot into a flex cluster, this project or another. */
export function createFlexRestore(c: OperationContext): StoredJob {
  const cluster = pathCluster(c, "flex");
  const body = validateBody(FlexBackupRestoreJobCreate20241113, c.body);
  const snapshot = completedSnapshot(c, "flex", cluster, body.snapshotId as string);
  const groupId = (body.targetProjectId as string | undefined) ?? cluster.groupId;
  return newJob(c, "flex", cluster, {
    deliveryType: "RESTORE",
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
    ...target(c, "flex", groupId, body.targetDeploymentItemName as string),
  });
}

/** `downloadGroupFlexClusterBackup`: a download link for a snapshot. */
export function createFlexDownload(c: OperationContext): StoredJob {
  const cluster = pathCluster(c, "flex");
  const body = validateBody(FlexBackupSnapshotDownloadCreate20241113, c.body);
  const snapshot = completedSnapshot(c, "flex", cluster, body.snapshotId as string);
  return newJob(c, "flex", cluster, {
    deliveryType: "DOWNLOAD",
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
  });
}
