import type { SeedCluster, SeedSnapshot } from "../seed";
import type { ClusterApi, StoredJob } from "../state/restore-jobs";
import type { Store } from "../state/store";
import {
  type ApiError,
  cannotAccessGroup,
  clusterNotFound,
  flexClusterInClusterApi,
  flexClusterNotFound,
  groupNotFound,
  nonFlexClusterInFlexApi,
  restoreJobNotFound,
  serverlessInstanceNotFound,
  snapshotNotCompleted,
  snapshotNotFound,
} from "./api-errors";
import { isRetained } from "./backup-policy";
import type { Caller, OperationContext } from "./operation-context";
import { isMigrated } from "./sunset";

// Resolving the resources a request names, each with the 404 Atlas answers when it does not exist.

const NOT_FOUND: Record<ClusterApi, (name: string, groupId: string) => ApiError> = {
  serverless: serverlessInstanceNotFound,
  flex: flexClusterNotFound,
  cluster: clusterNotFound,
};

/** Checks that the project exists and the caller may use it. */
export function checkProject(store: Store, caller: Caller, groupId: string): void {
  if (!store.project(groupId)) throw groupNotFound(groupId);
  if (!caller.projects.includes(groupId)) throw cannotAccessGroup(groupId);
}

/** The cluster `name` of `groupId` (default: the request's project), as the API `api` sees it, or its 404. */
export function findCluster(
  c: OperationContext,
  api: ClusterApi,
  name: string,
  groupId = c.params.groupId!,
): SeedCluster {
  const cluster = c.store.cluster(api, groupId, name);
  if (!cluster || (api === "serverless" && isMigrated(c, groupId, name))) {
    // Atlas names the API to use instead; the Atlas CLI switches APIs on these codes.
    if (api === "cluster" && c.store.cluster("flex", groupId, name)) throw flexClusterInClusterApi(name);
    if (api === "flex" && c.store.cluster("cluster", groupId, name)) throw nonFlexClusterInFlexApi(name);
    throw NOT_FOUND[api](name, groupId);
  }
  return cluster;
}

/** The cluster named by the request's path (`{clusterName}` or `{name}`). */
export function pathCluster(c: OperationContext, api: ClusterApi): SeedCluster {
  return findCluster(c, api, c.params.clusterName ?? c.params.name!);
}

/** The snapshots of `api`'s `cluster` that exist at the request's time, newest first. */
export function newestFirst(c: OperationContext, api: ClusterApi, cluster: SeedCluster): SeedSnapshot[] {
  return c.store
    .snapshotsOf(api, cluster, c.now)
    .filter((s) => isRetained(s, c.now))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** A snapshot of `api`'s `cluster` that exists at the request's time, or its 404. */
export function snapshotOf(
  c: OperationContext,
  api: ClusterApi,
  cluster: SeedCluster,
  snapshotId: string,
): SeedSnapshot {
  const snapshot = newestFirst(c, api, cluster).find((s) => s.id === snapshotId);
  if (!snapshot) throw snapshotNotFound(snapshotId, cluster.name);
  return snapshot;
}

/** A completed snapshot of `api`'s `cluster`, or why it cannot be restored. */
export function completedSnapshot(
  c: OperationContext,
  api: ClusterApi,
  cluster: SeedCluster,
  snapshotId: string,
): SeedSnapshot {
  const snapshot = snapshotOf(c, api, cluster, snapshotId);
  if (snapshot.status !== "completed") throw snapshotNotCompleted(snapshotId, snapshot.status);
  return snapshot;
}

/** The restore job named by the request's path, of the path's cluster, or its 404. */
export function pathJob(c: OperationContext, api: ClusterApi): StoredJob {
  const cluster = pathCluster(c, api);
  const job = c.store.job(c.params.restoreJobId!);
  if (!job || job.api !== api || job.groupId !== cluster.groupId || job.clusterName !== cluster.name) {
    throw restoreJobNotFound(c.params.restoreJobId!, cluster.name);
  }
  return job;
}
