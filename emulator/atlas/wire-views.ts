import type { ConnectionStrings } from "../data/plane";
import { downloadPath } from "../download/archive";
import { replicaSetNames, type SeedCluster, type SeedSnapshot } from "../seed";
import { type ClusterApi, isBeingRestored, jobProgress, type StoredJob } from "../state/restore-jobs";
import { snapshotExpiresAt } from "./backup-policy";

/**
 * How stored facts look on the wire: the Atlas response shapes of the OpenAPI subset, computed for a
 * given instant. Pure.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/** A link to the resource itself, as every Atlas object carries. */
function selfLink(baseUrl: string, path: string): { rel: string; href: string }[] {
  return [{ rel: "self", href: `${baseUrl}${path}` }];
}

/** The self link of a restore job under the API's path segment. */
function jobLink(baseUrl: string, segment: string, job: StoredJob) {
  return selfLink(
    baseUrl,
    `/api/atlas/v2/groups/${job.groupId}/${segment}/${job.clusterName}/backup/restoreJobs/${job.id}`,
  );
}

/** `ServerlessBackupRestoreJob`. */
export function serverlessJobView(job: StoredJob, now: number, baseUrl: string): Record<string, unknown> {
  return backupJobView("serverless", job, now, baseUrl);
}

/**
 * `DiskBackupSnapshotRestoreJob`: the serverless shape, plus `components` (one per replica set) for a
 * sharded cluster, each with its own download link once a download is ready.
 */
export function clusterJobView(
  job: StoredJob,
  cluster: SeedCluster | undefined,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const view = backupJobView("clusters", job, now, baseUrl);
  if (cluster?.clusterType === "SHARDED") {
    const links = view.deliveryUrl as string[];
    view.components = replicaSetNames(cluster).map((replicaSetName) => ({
      replicaSetName,
      ...(links.length > 0 ? { downloadUrl: `${links[0]}?replicaSet=${replicaSetName}` } : {}),
    }));
  }
  return view;
}

function backupJobView(
  segment: "serverless" | "clusters",
  job: StoredJob,
  now: number,
  baseUrl: string,
): Record<string, unknown> {
  const progress = jobProgress(job, now);
  const view: Record<string, unknown> = {
    id: job.id,
    deliveryType: job.deliveryType,
    snapshotId: job.snapshotId,
    targetClusterName: job.targetClusterName,
    targetGroupId: job.targetGroupId,
    timestamp: job.snapshotCreatedAt,
    failed: progress.phase === "FAILED",
    cancelled: progress.phase === "CANCELLED",
    expired: progress.expired,
    deliveryUrl: [],
    links: jobLink(baseUrl, segment, job),
  };
  if (progress.finishedAt !== undefined) view.finishedAt = iso(progress.finishedAt);
  if (progress.linkServes) view.deliveryUrl = [`${baseUrl}${downloadPath(job)}`];
  if (progress.expiresAt !== undefined) view.expiresAt = iso(progress.expiresAt);
  if (job.pointInTimeUTCSeconds !== undefined) view.pointInTimeUTCSeconds = job.pointInTimeUTCSeconds;
  if (job.oplogTs !== undefined) {
    view.oplogTs = job.oplogTs;
    view.oplogInc = job.oplogInc;
  }
  const moment = job.pointInTimeUTCSeconds ?? job.oplogTs;
  // The OpenAPI gives ApiBSONTimestampView.increment the minimum of a timestamp (1199145600), not of an
  // oplog increment, so the answer carries the seconds there: an oplogInc of 1 would break the contract.
  if (moment !== undefined)
    view.desiredTimestamp = { date: iso(moment * 1000), increment: Math.max(moment, 1199145600) };
  return view;
}

/** `FlexBackupRestoreJob20241113`. */
export function flexJobView(job: StoredJob, now: number, baseUrl: string): Record<string, unknown> {
  const progress = jobProgress(job, now);
  const view: Record<string, unknown> = {
    id: job.id,
    deliveryType: job.deliveryType,
    instanceName: job.clusterName,
    projectId: job.groupId,
    snapshotId: job.snapshotId,
    snapshotFinishedDate: job.snapshotCreatedAt,
    restoreScheduledDate: iso(job.createdAt),
    status: progress.phase === "CANCELLED" ? "FAILED" : progress.phase,
    links: jobLink(baseUrl, "flexClusters", job),
  };
  if (job.targetClusterName !== undefined) view.targetDeploymentItemName = job.targetClusterName;
  if (job.targetGroupId !== undefined) view.targetProjectId = job.targetGroupId;
  if (progress.finishedAt !== undefined) view.restoreFinishedDate = iso(progress.finishedAt);
  if (progress.expiresAt !== undefined) view.expirationDate = iso(progress.expiresAt);
  if (progress.linkServes) view.snapshotUrl = `${baseUrl}${downloadPath(job)}`;
  return view;
}

/** What `ServerlessBackupSnapshot` and `DiskBackupReplicaSet` share. */
function backupSnapshotFields(
  segment: "serverless" | "clusters",
  cluster: SeedCluster,
  snapshot: SeedSnapshot,
  baseUrl: string,
) {
  return {
    id: snapshot.id,
    createdAt: snapshot.createdAt,
    expiresAt: iso(snapshotExpiresAt(snapshot)),
    mongodVersion: snapshot.mongoDBVersion ?? cluster.mongoDBVersion ?? "8.0.4",
    status: snapshot.status,
    storageSizeBytes: snapshot.storageSizeBytes ?? 1_073_741_824,
    links: snapshotLink(baseUrl, segment, cluster, snapshot.id),
  };
}

/** The self link of a snapshot, `path` below the cluster's `backup/snapshots/`. */
function snapshotLink(baseUrl: string, segment: string, cluster: SeedCluster, path: string) {
  return selfLink(
    baseUrl,
    `/api/atlas/v2/groups/${cluster.groupId}/${segment}/${cluster.name}/backup/snapshots/${path}`,
  );
}

/** `ServerlessBackupSnapshot`. */
export function serverlessSnapshotView(
  cluster: SeedCluster,
  snapshot: SeedSnapshot,
  baseUrl: string,
): Record<string, unknown> {
  return {
    ...backupSnapshotFields("serverless", cluster, snapshot, baseUrl),
    frequencyType: "daily",
    serverlessInstanceName: cluster.name,
    snapshotType: "scheduled",
  };
}

/** `FlexBackupSnapshot20241113`: upper-case statuses and start/finish times instead of `createdAt`. */
export function flexSnapshotView(
  cluster: SeedCluster,
  snapshot: SeedSnapshot,
  baseUrl: string,
): Record<string, unknown> {
  const created = Date.parse(snapshot.createdAt);
  const status = { queued: "QUEUED", inProgress: "RUNNING", completed: "COMPLETED", failed: "FAILED" }[
    snapshot.status
  ];
  const view: Record<string, unknown> = {
    id: snapshot.id,
    mongoDBVersion: snapshot.mongoDBVersion ?? cluster.mongoDBVersion ?? "8.0.4",
    scheduledTime: snapshot.createdAt,
    startTime: snapshot.createdAt,
    expiration: iso(snapshotExpiresAt(snapshot)),
    status,
    links: snapshotLink(baseUrl, "flexClusters", cluster, snapshot.id),
  };
  if (snapshot.status === "completed") view.finishTime = iso(created + 5 * 60_000);
  return view;
}

/** `DiskBackupReplicaSet` (what lists and gets answer) or `DiskBackupSnapshot` (what a take answers). */
export function clusterSnapshotView(
  cluster: SeedCluster,
  snapshot: SeedSnapshot,
  baseUrl: string,
  shape: "replicaSet" | "taken" = "replicaSet",
): Record<string, unknown> {
  const sharded = cluster.clusterType === "SHARDED";
  const view: Record<string, unknown> = {
    ...backupSnapshotFields("clusters", cluster, snapshot, baseUrl),
    snapshotType: snapshot.snapshotType ?? "scheduled",
    type: sharded ? "shardedCluster" : "replicaSet",
  };
  // Atlas answers `ondemand` for an on-demand snapshot (recorded traffic), though the enum lacks it.
  view.frequencyType = snapshot.snapshotType === "onDemand" ? "ondemand" : "daily";
  if (snapshot.description !== undefined) view.description = snapshot.description;
  if (shape === "replicaSet") {
    view.cloudProvider = cluster.backingProviderName ?? "AWS";
    if (!sharded) view.replicaSetName = replicaSetNames(cluster)[0];
  }
  return view;
}

/** `DiskBackupShardedClusterSnapshot`: one member snapshot per shard (ids derived from the snapshot's). */
export function shardedSnapshotView(
  cluster: SeedCluster,
  snapshot: SeedSnapshot,
  baseUrl: string,
): Record<string, unknown> {
  const { cloudProvider, type, links: _links, ...common } = clusterSnapshotView(cluster, snapshot, baseUrl);
  const members = replicaSetNames(cluster).map((replicaSetName, i) => ({
    cloudProvider,
    id: `${snapshot.id.slice(0, 20)}${(0xf000 + i).toString(16)}`,
    replicaSetName,
  }));
  return {
    ...common,
    type,
    configServerType: "EMBEDDED",
    members,
    snapshotIds: members.map((m) => m.id),
    links: snapshotLink(baseUrl, "clusters", cluster, `shardedCluster/${snapshot.id}`),
  };
}

/**
 * `ServerlessInstanceDescription`, `FlexClusterDescription20241113` or `ClusterDescription20240805`,
 * `stateName` from running restores. Serverless instances have only an SRV string in Atlas; the
 * others also get `standard`, the one that reaches the emulator's wire-protocol server.
 */
export function clusterView(
  api: ClusterApi,
  cluster: SeedCluster,
  jobs: readonly StoredJob[],
  now: number,
  baseUrl: string,
  wire?: ConnectionStrings,
): Record<string, unknown> {
  const srv = wire?.standardSrv ?? `mongodb+srv://${cluster.name.toLowerCase()}.emulator.invalid`;
  const connectionStrings = { ...(wire ? { standard: wire.standard } : {}), standardSrv: srv };
  const common = {
    id: cluster.id,
    groupId: cluster.groupId,
    name: cluster.name,
    createDate: cluster.createDate ?? "2025-01-01T00:00:00Z",
    mongoDBVersion: cluster.mongoDBVersion ?? "8.0.4",
    stateName: isBeingRestored(jobs, api, cluster.groupId, cluster.name, now) ? "UPDATING" : "IDLE",
    terminationProtectionEnabled: false,
  };
  const provider = {
    backingProviderName: cluster.backingProviderName ?? "AWS",
    regionName: cluster.regionName ?? "US_EAST_1",
  };
  if (api === "cluster") {
    return {
      ...common,
      clusterType: cluster.clusterType ?? "REPLICASET",
      backupEnabled: true,
      pitEnabled: cluster.pitEnabled ?? true,
      paused: false,
      mongoDBMajorVersion: (cluster.mongoDBVersion ?? "8.0.4").split(".")[0] + ".0",
      connectionStrings,
      versionReleaseSystem: "LTS",
      links: selfLink(baseUrl, `/api/atlas/v2/groups/${cluster.groupId}/clusters/${cluster.name}`),
    };
  }
  if (api === "serverless") {
    return {
      ...common,
      connectionStrings: { standardSrv: srv },
      providerSettings: { ...provider, providerName: "SERVERLESS" },
      serverlessBackupOptions: { serverlessContinuousBackupEnabled: true },
      links: selfLink(baseUrl, `/api/atlas/v2/groups/${cluster.groupId}/serverless/${cluster.name}`),
    };
  }
  return {
    ...common,
    clusterType: "REPLICASET",
    backupSettings: { enabled: true },
    connectionStrings,
    providerSettings: { ...provider, providerName: "FLEX", diskSizeGB: 5 },
    versionReleaseSystem: "LTS",
    links: selfLink(baseUrl, `/api/atlas/v2/groups/${cluster.groupId}/flexClusters/${cluster.name}`),
  };
}

/**
 * A dedicated cluster's view in the version asked: `ClusterDescription20240805` as {@link clusterView}
 * builds it, `AdvancedClusterDescription` (2023-02-01, the same fields here) or `LegacyAtlasCluster`
 * (2023-01-01, which adds `providerBackupEnabled` and `numShards`).
 */
export function clusterViewOfVersion(
  view: Record<string, unknown>,
  cluster: SeedCluster,
  version: string,
): Record<string, unknown> {
  if (version !== "2023-01-01") return view;
  const numShards = cluster.clusterType === "SHARDED" ? replicaSetNames(cluster).length : 1;
  return { ...view, providerBackupEnabled: true, numShards };
}
