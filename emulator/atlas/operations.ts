import type { SeedCluster, SeedSnapshot } from "../seed";
import type { ClusterApi, StoredJob } from "../state/restore-jobs";
import { newestFirst, pathCluster, pathJob, snapshotOf } from "./lookups";
import type { Operation, OperationContext } from "./operation-context";
import { paginate } from "./pagination";
import { createFlexDownload, createFlexRestore, createServerlessJob } from "./restore-requests";
import { isMigrated } from "./sunset";
import {
  clusterView,
  flexJobView,
  flexSnapshotView,
  serverlessJobView,
  serverlessSnapshotView,
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
  readonly version: string;
  /** Path segment of the project's clusters of this kind. */
  readonly segment: string;
  /** Name of the cluster's path parameter on the backup routes. */
  readonly clusterParam: string;
  /** Nouns in the operationIds: `getGroup<cluster>`, `listGroup<backup>Snapshots`. */
  readonly clusterNoun: string;
  readonly backupNoun: string;
  snapshotView(cluster: SeedCluster, snapshot: SeedSnapshot, baseUrl: string): unknown;
  jobView(job: StoredJob, now: number, baseUrl: string): unknown;
  createJob(c: OperationContext): StoredJob;
}

const SERVERLESS: BackupKind = {
  api: "serverless",
  version: "2023-01-01",
  segment: "serverless",
  clusterParam: "clusterName",
  clusterNoun: "ServerlessInstance",
  backupNoun: "ServerlessBackup",
  snapshotView: serverlessSnapshotView,
  jobView: serverlessJobView,
  createJob: createServerlessJob,
};

const FLEX: BackupKind = {
  api: "flex",
  version: "2024-11-13",
  segment: "flexClusters",
  clusterParam: "name",
  clusterNoun: "FlexCluster",
  backupNoun: "FlexClusterBackup",
  snapshotView: flexSnapshotView,
  jobView: flexJobView,
  createJob: createFlexRestore,
};

function page(c: OperationContext, items: unknown[]) {
  return paginate(items, c.flags, c.url);
}

/** The cluster, snapshot and restore-job operations every kind offers. */
function backupOperations(k: BackupKind): Operation[] {
  const backup = `${GROUP}/${k.segment}/{${k.clusterParam}}/backup`;
  const op = (
    operationId: string,
    method: Operation["method"],
    path: string,
    handle: Operation["handle"],
    paged = false,
  ): Operation => ({ operationId, method, path, version: k.version, api: k.api, paged, handle });
  return [
    op(`getGroup${k.clusterNoun}`, "GET", `${GROUP}/${k.segment}/{name}`, (c) =>
      clusterView(k.api, pathCluster(c, k.api), c.store.state.jobs, c.now, c.baseUrl),
    ),
    op(
      `listGroup${k.backupNoun}Snapshots`,
      "GET",
      `${backup}/snapshots`,
      (c) => {
        const cluster = pathCluster(c, k.api);
        return page(
          c,
          newestFirst(cluster, c.now).map((s) => k.snapshotView(cluster, s, c.baseUrl)),
        );
      },
      true,
    ),
    op(`getGroup${k.backupNoun}Snapshot`, "GET", `${backup}/snapshots/{snapshotId}`, (c) => {
      const cluster = pathCluster(c, k.api);
      return k.snapshotView(cluster, snapshotOf(cluster, c.params.snapshotId!, c.now), c.baseUrl);
    }),
    op(
      `listGroup${k.backupNoun}RestoreJobs`,
      "GET",
      `${backup}/restoreJobs`,
      (c) => {
        const cluster = pathCluster(c, k.api);
        const jobs = c.store.jobsOf(k.api, cluster.groupId, cluster.name);
        return page(
          c,
          jobs.map((job) => k.jobView(job, c.now, c.baseUrl)),
        );
      },
      true,
    ),
    op(`getGroup${k.backupNoun}RestoreJob`, "GET", `${backup}/restoreJobs/{restoreJobId}`, (c) =>
      k.jobView(pathJob(c, k.api), c.now, c.baseUrl),
    ),
    op(`createGroup${k.backupNoun}RestoreJob`, "POST", `${backup}/restoreJobs`, (c) =>
      k.jobView(k.createJob(c), c.now, c.baseUrl),
    ),
  ];
}

/** Every operation the emulator serves. */
export const OPERATIONS: readonly Operation[] = [
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
          .map((cluster) => clusterView("serverless", cluster, c.store.state.jobs, c.now, c.baseUrl)),
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
];
