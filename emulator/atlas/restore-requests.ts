import type { SeedCluster } from "../seed";
import { type ClusterApi, restoreKindOf, type StoredJob } from "../state/restore-jobs";
import { invalidRestoreTime, missingAttribute } from "./api-errors";
import { RESTORE_WINDOW_MS } from "./backup-policy";
import { newObjectId } from "./ids";
import { checkProject, completedSnapshot, findCluster, newestFirst, pathCluster } from "./lookups";
import type { OperationContext } from "./operation-context";
import {
  FlexBackupRestoreJobCreate20241113,
  FlexBackupSnapshotDownloadCreate20241113,
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

/** `createGroupServerlessBackupRestoreJob`: automated, download or point-in-time. */
export function createServerlessJob(c: OperationContext): StoredJob {
  const cluster = pathCluster(c, "serverless");
  const body = validateBody(ServerlessBackupRestoreJob, c.body);
  const deliveryType = body.deliveryType as StoredJob["deliveryType"];
  const into = target(c, "serverless", body.targetGroupId as string, body.targetClusterName as string);
  let snapshot;
  const moment = (body.pointInTimeUTCSeconds ?? body.oplogTs) as number | undefined;
  if (deliveryType === "pointInTime") {
    if (moment === undefined) throw missingAttribute("pointInTimeUTCSeconds");
    if (body.oplogTs !== undefined && body.oplogInc === undefined) throw missingAttribute("oplogInc");
    if (moment * 1000 > c.now) throw invalidRestoreTime("the point in time is in the future");
    if (moment * 1000 < c.now - RESTORE_WINDOW_MS.serverless)
      throw invalidRestoreTime("the point in time is before the restore window of the last 72 hours");
    snapshot = newestFirst(cluster, c.now).find(
      (s) => s.status === "completed" && Date.parse(s.createdAt) <= moment * 1000,
    );
    if (!snapshot) throw invalidRestoreTime("no completed snapshot precedes the point in time");
  } else {
    if (body.snapshotId === undefined) throw missingAttribute("snapshotId");
    snapshot = completedSnapshot(cluster, body.snapshotId as string, c.now);
  }
  return newJob(c, "serverless", cluster, {
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

/** `createGroupFlexClusterBackupRestoreJob`: a snapshot into a flex cluster, this project or another. */
export function createFlexRestore(c: OperationContext): StoredJob {
  const cluster = pathCluster(c, "flex");
  const body = validateBody(FlexBackupRestoreJobCreate20241113, c.body);
  const snapshot = completedSnapshot(cluster, body.snapshotId as string, c.now);
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
  const snapshot = completedSnapshot(cluster, body.snapshotId as string, c.now);
  return newJob(c, "flex", cluster, {
    deliveryType: "DOWNLOAD",
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
  });
}
