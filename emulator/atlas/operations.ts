import type { SeedCluster, SeedSnapshot } from "../seed";
import { type ClusterApi, isDownload, type StoredJob } from "../state/restore-jobs";
import { cancelShardedRestoreNotAllowed, restoreJobNotCancellable, snapshotNotFound } from "./api-errors";
import {
  collectionJobView,
  collectionState,
  collectionStatesPage,
  createCollectionJob,
  pathCollectionJob,
} from "./collection-restores";
import { newestFirst, pathCluster, pathJob, snapshotOf } from "./lookups";
import type { Operation, OperationContext } from "./operation-context";
import { paginate } from "./pagination";
import { closestBefore, pointInTimeOf } from "./point-in-time-query";
import {
  createClusterJob,
  createFlexDownload,
  createFlexRestore,
  createServerlessJob,
  takeClusterSnapshot,
} from "./restore-requests";
import { isMigrated } from "./sunset";
import {
  clusterJobView,
  clusterSnapshotView,
  clusterView,
  clusterViewOfVersion,
  flexJobView,
  flexSnapshotView,
  serverlessJobView,
  serverlessSnapshotView,
  shardedSnapshotView,
} from "./wire-views";

/**
 * The Atlas operations: what each one answers, given the store, the time and the caller. Routing,
 * auth, versions, faults and rate limits happen before, in http/atlas-route.ts. The backup operations
 * are alike for every kind of cluster, so they are built from one description per kind.
 */

const GROUP = "/api/atlas/v2/groups/{groupId}";

/** What makes one kind's backup API differ from another's. */
interface BackupKind {
  readonly api: ClusterApi;
  /** Version of the backup operations. */
  readonly version: string;
  /** Version of the cluster's own GET (default: {@link version}), and the older ones it still serves. */
  readonly clusterVersion?: string;
  readonly clusterOlderVersions?: readonly string[];
  /** Path segment of the project's clusters of this kind. */
  readonly segment: string;
  /** Name of the cluster's path parameter on its GET, and on the backup routes. */
  readonly clusterParam: string;
  readonly backupParam: string;
  /** Nouns in the operationIds: `getGroup<cluster>`, `listGroup<backup>Snapshots`. */
  readonly clusterNoun: string;
  readonly backupNoun: string;
  snapshotView(cluster: SeedCluster, snapshot: SeedSnapshot, baseUrl: string): unknown;
  /** What the snapshot list's own query keeps of the snapshots (default: all). */
  snapshotQuery?(c: OperationContext, newestFirst: SeedSnapshot[]): SeedSnapshot[];
  jobView(job: StoredJob, c: OperationContext): unknown;
  createJob(c: OperationContext): StoredJob;
}

const SERVERLESS: BackupKind = {
  api: "serverless",
  version: "2023-01-01",
  segment: "serverless",
  clusterParam: "name",
  backupParam: "clusterName",
  clusterNoun: "ServerlessInstance",
  backupNoun: "ServerlessBackup",
  snapshotView: serverlessSnapshotView,
  jobView: (job, c) => serverlessJobView(job, c.now, c.baseUrl),
  createJob: createServerlessJob,
};

const FLEX: BackupKind = {
  api: "flex",
  version: "2024-11-13",
  segment: "flexClusters",
  clusterParam: "name",
  backupParam: "name",
  clusterNoun: "FlexCluster",
  backupNoun: "FlexClusterBackup",
  snapshotView: flexSnapshotView,
  jobView: (job, c) => flexJobView(job, c.now, c.baseUrl),
  createJob: createFlexRestore,
};

const CLUSTER: BackupKind = {
  api: "cluster",
  version: "2023-01-01",
  // getGroupCluster's current version; Atlas serves the older two until their sunset (2027-07-01).
  clusterVersion: "2024-08-05",
  clusterOlderVersions: ["2023-01-01", "2023-02-01"],
  segment: "clusters",
  clusterParam: "clusterName",
  backupParam: "clusterName",
  clusterNoun: "Cluster",
  backupNoun: "ClusterBackup",
  snapshotView: (cluster, snapshot, baseUrl) => clusterSnapshotView(cluster, snapshot, baseUrl),
  // pointInTimeUtcSeconds, or oplogTs and oplogInc: the closest snapshot before that moment.
  snapshotQuery: (c, snapshots) => {
    const moment = pointInTimeOf(c.url.searchParams);
    return moment === undefined ? snapshots : closestBefore(snapshots, moment);
  },
  jobView: (job, c) =>
    clusterJobView(job, c.store.cluster("cluster", job.groupId, job.clusterName), c.now, c.baseUrl),
  createJob: createClusterJob,
};

/** The connection strings of the request's cluster (or `name` in its project). */
function wireOf(c: OperationContext, api: ClusterApi, name = c.params.clusterName ?? c.params.name!) {
  return c.store.data.connectionStrings(api, c.params.groupId!, name);
}

function page(c: OperationContext, items: unknown[]) {
  return paginate(items, c.flags, c.url);
}

/** The cluster, snapshot and restore-job operations every kind offers. */
function backupOperations(k: BackupKind): Operation[] {
  const backup = `${GROUP}/${k.segment}/{${k.backupParam}}/backup`;
  const op = (
    operationId: string,
    method: Operation["method"],
    path: string,
    handle: Operation["handle"],
    paged = false,
  ): Operation => ({ operationId, method, path, version: k.version, api: k.api, paged, handle });
  const list = (operationId: string, path: string, items: (c: OperationContext) => unknown[]) =>
    op(operationId, "GET", path, (c) => page(c, items(c)), true);
  return [
    {
      ...op(`getGroup${k.clusterNoun}`, "GET", `${GROUP}/${k.segment}/{${k.clusterParam}}`, (c) => {
        const cluster = pathCluster(c, k.api);
        const view = clusterView(k.api, cluster, c.store.state.jobs, c.now, c.baseUrl, wireOf(c, k.api));
        return k.api === "cluster" ? clusterViewOfVersion(view, cluster, c.version) : view;
      }),
      version: k.clusterVersion ?? k.version,
      ...(k.clusterOlderVersions ? { olderVersions: k.clusterOlderVersions } : {}),
    },
    list(`listGroup${k.backupNoun}Snapshots`, `${backup}/snapshots`, (c) => {
      const cluster = pathCluster(c, k.api);
      const snapshots = newestFirst(c, k.api, cluster);
      const kept = k.snapshotQuery ? k.snapshotQuery(c, snapshots) : snapshots;
      return kept.map((s) => k.snapshotView(cluster, s, c.baseUrl));
    }),
    op(`getGroup${k.backupNoun}Snapshot`, "GET", `${backup}/snapshots/{snapshotId}`, (c) => {
      const cluster = pathCluster(c, k.api);
      return k.snapshotView(cluster, snapshotOf(c, k.api, cluster, c.params.snapshotId!), c.baseUrl);
    }),
    list(`listGroup${k.backupNoun}RestoreJobs`, `${backup}/restoreJobs`, (c) => {
      const cluster = pathCluster(c, k.api);
      return c.store.jobsOf(k.api, cluster.groupId, cluster.name).map((job) => k.jobView(job, c));
    }),
    op(`getGroup${k.backupNoun}RestoreJob`, "GET", `${backup}/restoreJobs/{restoreJobId}`, (c) =>
      k.jobView(pathJob(c, k.api), c),
    ),
    op(`createGroup${k.backupNoun}RestoreJob`, "POST", `${backup}/restoreJobs`, (c) =>
      k.jobView(k.createJob(c), c),
    ),
  ];
}

const CLUSTER_BACKUP = `${GROUP}/clusters/{clusterName}/backup`;

/** The operations whose OpenAPI declares no 400 answer (see {@link Operation.lenientQuery}). */
const WITHOUT_400 = new Set([
  "listGroupServerlessInstances",
  "getGroupCluster",
  "listGroupClusterBackupRestoreJobs",
  "getGroupClusterBackupRestoreJob",
]);

/** The operations, as each kind builds them. */
const SERVED: Operation[] = [
  {
    operationId: "listGroupServerlessInstances",
    method: "GET",
    path: `${GROUP}/serverless`,
    version: SERVERLESS.version,
    api: "serverless",
    paged: true,
    handle: (c) =>
      page(
        c,
        c.store
          .serverlessInstances(c.params.groupId!)
          .filter((cluster) => !isMigrated(c, cluster.groupId, cluster.name))
          .map((cluster) =>
            clusterView(
              "serverless",
              cluster,
              c.store.state.jobs,
              c.now,
              c.baseUrl,
              wireOf(c, "serverless", cluster.name),
            ),
          ),
      ),
  },
  ...backupOperations(SERVERLESS),
  ...backupOperations(FLEX),
  {
    operationId: "downloadGroupFlexClusterBackup",
    method: "POST",
    path: `${GROUP}/flexClusters/{name}/backup/download`,
    version: FLEX.version,
    api: "flex",
    handle: (c) => flexJobView(createFlexDownload(c), c.now, c.baseUrl),
  },
  ...backupOperations(CLUSTER),
  {
    operationId: "listGroupClusterBackupSnapshotShardedClusters",
    method: "GET",
    path: `${CLUSTER_BACKUP}/snapshots/shardedClusters`,
    version: CLUSTER.version,
    api: "cluster",
    paged: true,
    handle: (c) => {
      const cluster = pathCluster(c, "cluster");
      // A replica set has no sharded snapshots; the operation takes no paging flags: one page holds all.
      const results =
        cluster.clusterType === "SHARDED"
          ? newestFirst(c, "cluster", cluster).map((s) => shardedSnapshotView(cluster, s, c.baseUrl))
          : [];
      return { links: [{ rel: "self", href: c.url.href }], results, totalCount: results.length };
    },
  },
  {
    operationId: "getGroupClusterBackupSnapshotShardedCluster",
    method: "GET",
    path: `${CLUSTER_BACKUP}/snapshots/shardedCluster/{snapshotId}`,
    version: CLUSTER.version,
    api: "cluster",
    handle: (c) => {
      const cluster = pathCluster(c, "cluster");
      const snapshot = snapshotOf(c, "cluster", cluster, c.params.snapshotId!);
      // A replica set's snapshot is not one of a sharded cluster: Atlas has none under this path.
      if (cluster.clusterType !== "SHARDED") throw snapshotNotFound(snapshot.id, cluster.name);
      return shardedSnapshotView(cluster, snapshot, c.baseUrl);
    },
  },
  {
    operationId: "takeGroupClusterBackupSnapshots",
    method: "POST",
    path: `${CLUSTER_BACKUP}/snapshots`,
    version: CLUSTER.version,
    api: "cluster",
    handle: (c) => {
      const taken = takeClusterSnapshot(c);
      const cluster = pathCluster(c, "cluster");
      return clusterSnapshotView(cluster, snapshotOf(c, "cluster", cluster, taken.id), c.baseUrl, "taken");
    },
  },
  {
    operationId: "cancelGroupClusterBackupRestoreJob",
    method: "DELETE",
    path: `${CLUSTER_BACKUP}/restoreJobs/{restoreJobId}`,
    version: CLUSTER.version,
    api: "cluster",
    status: 204,
    handle: (c) => {
      const job = pathJob(c, "cluster");
      if (c.store.cluster("cluster", job.groupId, job.clusterName)?.clusterType === "SHARDED")
        throw cancelShardedRestoreNotAllowed(job.id);
      // What MongoDB's own tools do (Terraform: "Automated restore cannot be cancelled", "Point in time
      // restore cannot be cancelled"): the spec does not say, so the emulator refuses them (README).
      if (!isDownload(job)) throw restoreJobNotCancellable(job.id, job.deliveryType);
      // Cancelling a finished job changes nothing (the job keeps its outcome), as a second cancel does.
      if (job.cancelledAt === undefined) c.store.updateJob(job.id, (j) => ({ ...j, cancelledAt: c.now }));
      return undefined;
    },
  },
  ...collectionRestoreOperations(),
];

/** Every operation the emulator serves. */
export const OPERATIONS: readonly Operation[] = SERVED.map((operation) =>
  WITHOUT_400.has(operation.operationId) ? { ...operation, lenientQuery: true } : operation,
);

/** Collection-level restores: version 2025-03-12 only. */
function collectionRestoreOperations(): Operation[] {
  const jobs = `${GROUP}/clusters/{clusterName}/collectionRestoreJobs`;
  const op = (
    operationId: string,
    method: Operation["method"],
    path: string,
    handle: Operation["handle"],
    extra: Partial<Operation> = {},
  ): Operation => ({
    operationId,
    method,
    path,
    version: "2025-03-12",
    api: "cluster",
    handle,
    ...extra,
  });
  return [
    op(
      "listGroupClusterCollectionRestoreJobs",
      "GET",
      jobs,
      (c) => {
        const cluster = pathCluster(c, "cluster");
        const views = c.store
          .collectionJobsOf(cluster.groupId, cluster.name)
          .map((j) => collectionJobView(j, c.now));
        // These pages take no includeCount: totalCount is always there.
        return paginate(views, { ...c.flags, includeCount: true }, c.url);
      },
      { paged: true },
    ),
    op(
      "createGroupClusterCollectionRestoreJob",
      "POST",
      jobs,
      (c) => collectionJobView(createCollectionJob(c), c.now),
      { status: 201 },
    ),
    op("getGroupClusterCollectionRestoreJob", "GET", `${jobs}/{jobId}`, (c) =>
      collectionJobView(pathCollectionJob(c), c.now),
    ),
    op(
      "listGroupClusterCollectionRestoreJobCollections",
      "GET",
      `${jobs}/{jobId}/collections`,
      collectionStatesPage,
      { paged: true },
    ),
    op(
      "getGroupClusterCollectionRestoreJobCollection",
      "GET",
      `${jobs}/{jobId}/collections/{sourceNamespace}`,
      collectionState,
    ),
  ];
}
