import {
  ApiError,
  cannotAccessGroup,
  flexClusterNotFound,
  groupNotFound,
  invalidRestoreTime,
  missingAttribute,
  restoreJobNotFound,
  serverlessInstanceNotFound,
  snapshotNotCompleted,
  snapshotNotFound,
  versionGone,
} from "./errors";
import { newObjectId } from "./ids";
import { restoreKindOf, type StoredJob } from "./lifecycle";
import type { RuntimeOptions } from "./options";
import { paginate, type QueryFlags } from "./pagination";
import {
  FlexBackupRestoreJobCreate20241113,
  FlexBackupSnapshotDownloadCreate20241113,
  ServerlessBackupRestoreJob,
} from "./request-schemas";
import type { SeedCluster } from "./seed";
import type { Store } from "./store";
import { validateBody } from "./validation";
import {
  clusterView,
  flexJobView,
  flexSnapshotView,
  serverlessJobView,
  serverlessSnapshotView,
} from "./views";

/**
 * The Atlas operations: what each one answers, given the store, the time and the caller. Routing,
 * auth, versions, faults and rate limits happen before, in server.ts.
 */

/** The caller, once authenticated. */
export interface Caller {
  /** Public key or client id. */
  readonly id: string;
  /** Projects it may use. */
  readonly projects: readonly string[];
}

/** What a handler gets. */
export interface OperationContext {
  readonly store: Store;
  readonly options: RuntimeOptions;
  readonly now: number;
  readonly baseUrl: string;
  readonly caller: Caller;
  readonly params: Record<string, string>;
  readonly flags: QueryFlags;
  readonly url: URL;
  readonly body: unknown;
}

/** One operation of the OpenAPI subset. */
export interface Operation {
  readonly operationId: string;
  readonly method: "GET" | "POST";
  /** Path template, e.g. `/api/atlas/v2/groups/{groupId}/serverless/{name}`. */
  readonly path: string;
  readonly version: string;
  readonly api: "serverless" | "flex";
  /** Whether the answer is a page (gets `status` beside `results` with `envelope=true`). */
  readonly paged?: boolean;
  handle(context: OperationContext): unknown;
}

const SERVERLESS = "2023-01-01";
const FLEX = "2024-11-13";
const GROUP = "/api/atlas/v2/groups/{groupId}";

/** Every operation the emulator serves. */
export const OPERATIONS: readonly Operation[] = [
  {
    operationId: "listGroupServerlessInstances",
    method: "GET",
    path: `${GROUP}/serverless`,
    version: SERVERLESS,
    api: "serverless",
    paged: true,
    handle: (c) =>
      page(
        c,
        project(c).map((cluster) => clusterView("serverless", cluster, c.store.state.jobs, c.now, c.baseUrl)),
      ),
  },
  {
    operationId: "getGroupServerlessInstance",
    method: "GET",
    path: `${GROUP}/serverless/{name}`,
    version: SERVERLESS,
    api: "serverless",
    handle: (c) =>
      clusterView(
        "serverless",
        source(c, "serverless", c.params.name!),
        c.store.state.jobs,
        c.now,
        c.baseUrl,
      ),
  },
  {
    operationId: "listGroupServerlessBackupSnapshots",
    method: "GET",
    path: `${GROUP}/serverless/{clusterName}/backup/snapshots`,
    version: SERVERLESS,
    api: "serverless",
    paged: true,
    handle: (c) => {
      const cluster = source(c, "serverless", c.params.clusterName!);
      return page(
        c,
        newestFirst(cluster).map((s) => serverlessSnapshotView(cluster, s, c.baseUrl)),
      );
    },
  },
  {
    operationId: "getGroupServerlessBackupSnapshot",
    method: "GET",
    path: `${GROUP}/serverless/{clusterName}/backup/snapshots/{snapshotId}`,
    version: SERVERLESS,
    api: "serverless",
    handle: (c) => {
      const cluster = source(c, "serverless", c.params.clusterName!);
      return serverlessSnapshotView(cluster, snapshotOf(cluster, c.params.snapshotId!), c.baseUrl);
    },
  },
  {
    operationId: "listGroupServerlessBackupRestoreJobs",
    method: "GET",
    path: `${GROUP}/serverless/{clusterName}/backup/restoreJobs`,
    version: SERVERLESS,
    api: "serverless",
    paged: true,
    handle: (c) => {
      const cluster = source(c, "serverless", c.params.clusterName!);
      const jobs = c.store.jobsOf("serverless", cluster.groupId, cluster.name);
      return page(
        c,
        jobs.map((job) => serverlessJobView(job, c.now, c.baseUrl)),
      );
    },
  },
  {
    operationId: "getGroupServerlessBackupRestoreJob",
    method: "GET",
    path: `${GROUP}/serverless/{clusterName}/backup/restoreJobs/{restoreJobId}`,
    version: SERVERLESS,
    api: "serverless",
    handle: (c) => serverlessJobView(jobOf(c, "serverless"), c.now, c.baseUrl),
  },
  {
    operationId: "createGroupServerlessBackupRestoreJob",
    method: "POST",
    path: `${GROUP}/serverless/{clusterName}/backup/restoreJobs`,
    version: SERVERLESS,
    api: "serverless",
    handle: (c) => serverlessJobView(createServerlessJob(c), c.now, c.baseUrl),
  },
  {
    operationId: "getGroupFlexCluster",
    method: "GET",
    path: `${GROUP}/flexClusters/{name}`,
    version: FLEX,
    api: "flex",
    handle: (c) =>
      clusterView("flex", source(c, "flex", c.params.name!), c.store.state.jobs, c.now, c.baseUrl),
  },
  {
    operationId: "listGroupFlexClusterBackupSnapshots",
    method: "GET",
    path: `${GROUP}/flexClusters/{name}/backup/snapshots`,
    version: FLEX,
    api: "flex",
    paged: true,
    handle: (c) => {
      const cluster = source(c, "flex", c.params.name!);
      return page(
        c,
        newestFirst(cluster).map((s) => flexSnapshotView(cluster, s, c.baseUrl)),
      );
    },
  },
  {
    operationId: "getGroupFlexClusterBackupSnapshot",
    method: "GET",
    path: `${GROUP}/flexClusters/{name}/backup/snapshots/{snapshotId}`,
    version: FLEX,
    api: "flex",
    handle: (c) => {
      const cluster = source(c, "flex", c.params.name!);
      return flexSnapshotView(cluster, snapshotOf(cluster, c.params.snapshotId!), c.baseUrl);
    },
  },
  {
    operationId: "listGroupFlexClusterBackupRestoreJobs",
    method: "GET",
    path: `${GROUP}/flexClusters/{name}/backup/restoreJobs`,
    version: FLEX,
    api: "flex",
    paged: true,
    handle: (c) => {
      const cluster = source(c, "flex", c.params.name!);
      return page(
        c,
        c.store.jobsOf("flex", cluster.groupId, cluster.name).map((j) => flexJobView(j, c.now, c.baseUrl)),
      );
    },
  },
  {
    operationId: "getGroupFlexClusterBackupRestoreJob",
    method: "GET",
    path: `${GROUP}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}`,
    version: FLEX,
    api: "flex",
    handle: (c) => flexJobView(jobOf(c, "flex"), c.now, c.baseUrl),
  },
  {
    operationId: "createGroupFlexClusterBackupRestoreJob",
    method: "POST",
    path: `${GROUP}/flexClusters/{name}/backup/restoreJobs`,
    version: FLEX,
    api: "flex",
    handle: (c) => flexJobView(createFlexJob(c, false), c.now, c.baseUrl),
  },
  {
    operationId: "downloadGroupFlexClusterBackup",
    method: "POST",
    path: `${GROUP}/flexClusters/{name}/backup/download`,
    version: FLEX,
    api: "flex",
    handle: (c) => flexJobView(createFlexJob(c, true), c.now, c.baseUrl),
  },
];

/**
 * After the 2026-01-22 sunset: `gone` answers 410 for every serverless operation; `migrated` answers
 * 404 for an instance that now exists as a flex cluster of the same name.
 */
export function sunsetError(
  operation: Operation,
  context: Pick<OperationContext, "options" | "store" | "params">,
): ApiError | undefined {
  if (operation.api !== "serverless" || context.options.sunset === "off") return undefined;
  if (context.options.sunset === "gone") return versionGone(operation.version);
  const name = context.params.clusterName ?? context.params.name;
  const groupId = context.params.groupId!;
  if (name !== undefined && migrated(context, groupId, name))
    return serverlessInstanceNotFound(name, groupId);
  return undefined;
}

/** Checks that the project exists and the caller may use it. */
export function checkProject(store: Store, caller: Caller, groupId: string): void {
  if (!store.project(groupId)) throw groupNotFound(groupId);
  if (!caller.projects.includes(groupId)) throw cannotAccessGroup(groupId);
}

function project(c: OperationContext): SeedCluster[] {
  return c.store
    .serverlessInstances(c.params.groupId!)
    .filter((cluster) => !migrated(c, cluster.groupId, cluster.name));
}

/** Whether, after a `migrated` sunset, the serverless instance `groupId/name` now exists only as flex. */
function migrated(c: Pick<OperationContext, "options" | "store">, groupId: string, name: string): boolean {
  return c.options.sunset === "migrated" && c.store.cluster("flex", groupId, name) !== undefined;
}

/** The cluster `name` of the request's project, as the API `api` sees it, or its 404. */
function source(c: OperationContext, api: "serverless" | "flex", name: string, groupId = c.params.groupId!) {
  const cluster = c.store.cluster(api, groupId, name);
  if (!cluster || (api === "serverless" && migrated(c, groupId, name)))
    throw api === "serverless"
      ? serverlessInstanceNotFound(name, groupId)
      : flexClusterNotFound(name, groupId);
  return cluster;
}

function snapshotOf(cluster: SeedCluster, snapshotId: string) {
  const snapshot = cluster.snapshots.find((s) => s.id === snapshotId);
  if (!snapshot) throw snapshotNotFound(snapshotId, cluster.name);
  return snapshot;
}

function newestFirst(cluster: SeedCluster) {
  return [...cluster.snapshots].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

function jobOf(c: OperationContext, api: "serverless" | "flex"): StoredJob {
  const name = c.params.clusterName ?? c.params.name!;
  source(c, api, name);
  const job = c.store.job(c.params.restoreJobId!);
  if (!job || job.api !== api || job.groupId !== c.params.groupId || job.clusterName !== name) {
    throw restoreJobNotFound(c.params.restoreJobId!, name);
  }
  return job;
}

function page(c: OperationContext, items: unknown[]) {
  return paginate(items, c.flags, c.url);
}

function completedSnapshot(cluster: SeedCluster, snapshotId: string) {
  const snapshot = snapshotOf(cluster, snapshotId);
  if (snapshot.status !== "completed") throw snapshotNotCompleted(snapshotId, snapshot.status);
  return snapshot;
}

function newJob(
  c: OperationContext,
  api: "serverless" | "flex",
  cluster: SeedCluster,
  fields: Partial<StoredJob> & Pick<StoredJob, "deliveryType" | "snapshotId" | "snapshotCreatedAt">,
): StoredJob {
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

function createServerlessJob(c: OperationContext): StoredJob {
  const cluster = source(c, "serverless", c.params.clusterName!);
  const body = validateBody(ServerlessBackupRestoreJob, c.body);
  const deliveryType = body.deliveryType as StoredJob["deliveryType"];
  const targetGroupId = body.targetGroupId as string;
  const targetClusterName = body.targetClusterName as string;
  checkProject(c.store, c.caller, targetGroupId);
  source(c, "serverless", targetClusterName, targetGroupId);
  let snapshot;
  const moment = (body.pointInTimeUTCSeconds ?? body.oplogTs) as number | undefined;
  if (deliveryType === "pointInTime") {
    if (moment === undefined) throw missingAttribute("pointInTimeUTCSeconds");
    if (body.oplogTs !== undefined && body.oplogInc === undefined) throw missingAttribute("oplogInc");
    if (moment * 1000 > c.now) throw invalidRestoreTime("the point in time is in the future");
    snapshot = newestFirst(cluster).find(
      (s) => s.status === "completed" && Date.parse(s.createdAt) <= moment * 1000,
    );
    if (!snapshot) throw invalidRestoreTime("no completed snapshot precedes the point in time");
  } else {
    if (body.snapshotId === undefined) throw missingAttribute("snapshotId");
    snapshot = completedSnapshot(cluster, body.snapshotId as string);
  }
  return newJob(c, "serverless", cluster, {
    deliveryType,
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
    targetGroupId,
    targetClusterName,
    ...(body.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: body.pointInTimeUTCSeconds as number }
      : {}),
    ...(body.oplogTs !== undefined
      ? { oplogTs: body.oplogTs as number, oplogInc: body.oplogInc as number }
      : {}),
  });
}

function createFlexJob(c: OperationContext, download: boolean): StoredJob {
  const cluster = source(c, "flex", c.params.name!);
  const body = validateBody(
    download ? FlexBackupSnapshotDownloadCreate20241113 : FlexBackupRestoreJobCreate20241113,
    c.body,
  );
  const snapshot = completedSnapshot(cluster, body.snapshotId as string);
  if (download) {
    return newJob(c, "flex", cluster, {
      deliveryType: "DOWNLOAD",
      snapshotId: snapshot.id,
      snapshotCreatedAt: snapshot.createdAt,
    });
  }
  const targetGroupId = (body.targetProjectId as string | undefined) ?? cluster.groupId;
  const targetClusterName = body.targetDeploymentItemName as string;
  checkProject(c.store, c.caller, targetGroupId);
  source(c, "flex", targetClusterName, targetGroupId);
  return newJob(c, "flex", cluster, {
    deliveryType: "RESTORE",
    snapshotId: snapshot.id,
    snapshotCreatedAt: snapshot.createdAt,
    targetGroupId,
    targetClusterName,
  });
}
