import { planCollectionRestore } from "../data/collection-plan";
import {
  collectionJobProgress,
  isCollectionJobRunning,
  type StoredCollectionJob,
  type StoredNamespace,
} from "../state/collection-restores";
import { ApiError, invalidAttribute, invalidParameter, missingAttribute } from "./api-errors";
import { CLUSTER_RESTORE_WINDOW_MS } from "./backup-policy";
import { newObjectId } from "./ids";
import { checkProject, completedSnapshot, findCluster, newestFirst, pathCluster } from "./lookups";
import type { OperationContext } from "./operation-context";
import { paginate } from "./pagination";
import { ApiAtlasCollectionRestoreJobRequest } from "./request-schemas";
import { validateBody } from "./request-validation";

// Collection-level restores of dedicated clusters (version 2025-03-12): the create, the job and its
// per-collection states, on the wire.

const MAX_NAMESPACES = 100;
const iso = (ms: number): string => new Date(ms).toISOString();

type NamespaceRequest = { sourceNamespace: string; targetNamespace?: string };

/** The path's job of the path's cluster, or its 404. */
export function pathCollectionJob(c: OperationContext): StoredCollectionJob {
  const cluster = pathCluster(c, "cluster");
  const job = c.store.collectionJobsOf(cluster.groupId, cluster.name).find((j) => j.id === c.params.jobId);
  if (!job)
    throw new ApiError(
      404,
      "RESTORE_JOB_NOT_FOUND",
      `No collection restore job with ID ${c.params.jobId} exists for cluster ${cluster.name}.`,
      [c.params.jobId!, cluster.name],
    );
  return job;
}

/** `createGroupClusterCollectionRestoreJob`: checks the request, then records one job (answered 201). */
export function createCollectionJob(c: OperationContext): StoredCollectionJob {
  const cluster = pathCluster(c, "cluster");
  const body = validateBody(ApiAtlasCollectionRestoreJobRequest, c.body);
  const databases = (body.databases ?? []) as NamespaceRequest[];
  const collections = (body.collections ?? []) as NamespaceRequest[];
  for (const [field, list] of [
    ["databases", databases],
    ["collections", collections],
  ] as const)
    if (list.length > MAX_NAMESPACES)
      throw invalidAttribute(field, `must have at most ${MAX_NAMESPACES} items`);
  if (databases.length + collections.length === 0) throw missingAttribute("collections");
  for (const [i, n] of collections.entries())
    if (!/^[^.]+\..+$/.test(n.sourceNamespace))
      throw invalidAttribute(`collections[${i}].sourceNamespace`, "must be <database>.<collection>");
  checkProject(c.store, c.caller, body.targetGroupId as string);
  findCluster(c, "cluster", body.targetClusterName as string, body.targetGroupId as string);
  // Atlas runs one collection-level restore per cluster at a time.
  if (c.store.collectionJobsOf(cluster.groupId, cluster.name).some((j) => isCollectionJobRunning(j, c.now)))
    throw new ApiError(
      409,
      "COLLECTION_RESTORE_IN_PROGRESS",
      `A collection restore job is already running on cluster: ${cluster.name}`,
      [cluster.name],
    );

  const moment = (body.pointInTimeUtcSeconds ?? body.oplogTs) as number | null | undefined;
  let snapshot;
  if (moment !== undefined && moment !== null) {
    if (body.oplogTs != null && body.oplogInc == null) throw missingAttribute("oplogInc");
    if (moment * 1000 > c.now || moment * 1000 < c.now - CLUSTER_RESTORE_WINDOW_MS)
      throw new ApiError(
        400,
        "INVALID_RESTORE_TIME",
        "Invalid point in time for restore: outside the restore window of the last 7 days",
        [],
      );
    snapshot = newestFirst(c, "cluster", cluster).find(
      (s) => s.status === "completed" && Date.parse(s.createdAt) <= moment * 1000,
    );
    if (!snapshot)
      throw new ApiError(
        400,
        "INVALID_RESTORE_TIME",
        "Invalid point in time for restore: no completed snapshot precedes it",
        [],
      );
  } else {
    if (body.snapshotId === undefined) throw missingAttribute("snapshotId");
    snapshot = completedSnapshot(c, "cluster", cluster, body.snapshotId as string);
  }

  const databaseSuffix = (body.databaseSuffix as string | null | undefined) ?? "";
  const collectionSuffix = (body.collectionSuffix as string | null | undefined) ?? "";
  const rename = (source: string, target?: string): string => {
    if (target) return target;
    const [db, ...rest] = source.split(".");
    return `${db}${databaseSuffix}.${rest.join(".")}${collectionSuffix}`;
  };
  // The source as it was at the job's moment and the target as it is now (data/collection-plan.ts).
  const plan = planCollectionRestore(
    c.store.data,
    {
      groupId: cluster.groupId,
      clusterName: cluster.name,
      snapshotId: snapshot.id,
      ...(moment !== undefined && moment !== null
        ? { oplogTs: moment, oplogInc: (body.oplogInc as number | null | undefined) ?? 0 }
        : {}),
      targetGroupId: body.targetGroupId as string,
      targetClusterName: body.targetClusterName as string,
      writeStrategy: body.writeStrategy as string,
    },
    c.now,
  );
  const namespace = (source: string, target?: string): StoredNamespace => {
    const documents = plan.documents(source);
    const outcome =
      documents !== undefined
        ? c.store.collectionOutcome(cluster.groupId, cluster.name, source)
        : "NOT_FOUND";
    const targetNamespace = rename(source, target);
    const landing = documents !== undefined ? plan.land(targetNamespace) : targetNamespace;
    return {
      sourceNamespace: source,
      targetNamespace,
      ...(landing !== targetNamespace ? { effectiveTargetNamespace: landing } : {}),
      documents: documents ?? 0,
      ...(outcome ? { outcome } : {}),
    };
  };
  const namespaces = [
    ...databases.flatMap((d) => {
      const names = plan.collections(d.sourceNamespace);
      if (!names) return [namespace(`${d.sourceNamespace}.*`)];
      const targetDb = d.targetNamespace ?? `${d.sourceNamespace}${databaseSuffix}`;
      return names.map((name) =>
        namespace(`${d.sourceNamespace}.${name}`, `${targetDb}.${name}${collectionSuffix}`),
      );
    }),
    ...collections.map((n) => namespace(n.sourceNamespace, n.targetNamespace)),
  ];
  const job: StoredCollectionJob = {
    id: newObjectId(c.now),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    snapshotId: snapshot.id,
    targetGroupId: body.targetGroupId as string,
    targetClusterName: body.targetClusterName as string,
    writeStrategy: body.writeStrategy as string,
    indexStrategy: body.indexStrategy as string,
    databases,
    collections,
    databaseSuffix,
    collectionSuffix,
    // Atlas copies the two time fields into each other and sets oplogInc to 0 when absent.
    ...(moment !== undefined && moment !== null
      ? {
          pointInTimeUtcSeconds: moment,
          oplogTs: moment,
          oplogInc: (body.oplogInc as number | null | undefined) ?? 0,
        }
      : {}),
    namespaces,
    createdAt: c.now,
    durationMs: Math.max(1, Math.round(c.options.restoreDurationMs.clusterCollections / c.options.timeScale)),
  };
  c.store.addCollectionJob(job);
  return job;
}

/** The index build of a job or a collection, from its state. */
function indexState(job: StoredCollectionJob, state: string, failed: boolean): string {
  if (job.indexStrategy === "NONE") return "NOT_RESTORED";
  if (state === "SUCCESSFUL") return failed ? "FAILED" : "SUCCESSFUL";
  if (state === "FINALIZING") return "IN_PROGRESS";
  if (state === "CANCELED" || state === "FAILED") return failed ? "FAILED" : "NOT_STARTED";
  return "NOT_STARTED";
}

/** `ApiAtlasCollectionRestoreJobResponse`. */
export function collectionJobView(job: StoredCollectionJob, now: number): Record<string, unknown> {
  const progress = collectionJobProgress(job, now);
  const found = job.namespaces.filter((n) => n.outcome !== "NOT_FOUND");
  const total = found.reduce((sum, n) => sum + n.documents, 0);
  const indexFailures = found.filter((n) => n.outcome === "INDEX_BUILD_FAILED").length;
  const view: Record<string, unknown> = {
    id: job.id,
    createdAt: iso(job.createdAt),
    snapshotId: job.snapshotId,
    targetGroupId: job.targetGroupId,
    targetClusterName: job.targetClusterName,
    writeStrategy: job.writeStrategy,
    indexStrategy: job.indexStrategy,
    databases: job.databases,
    collections: job.collections,
    databaseSuffix: job.databaseSuffix,
    collectionSuffix: job.collectionSuffix,
    state: progress.state,
    restoredDocuments: found.reduce((sum, n) => sum + Math.floor(n.documents * progress.copied), 0),
    totalDocuments: total,
    indexStatus: {
      state: indexState(job, progress.state, indexFailures > 0),
      failedCollectionCount: progress.state === "SUCCESSFUL" ? indexFailures : 0,
    },
  };
  if (job.pointInTimeUtcSeconds !== undefined) {
    view.pointInTimeUtcSeconds = job.pointInTimeUtcSeconds;
    view.oplogTs = job.oplogTs;
    view.oplogInc = job.oplogInc;
  }
  if (progress.finishedAt !== undefined) view.finishedAt = iso(progress.finishedAt);
  if (progress.errorMessage !== undefined) view.errorMessage = progress.errorMessage;
  return view;
}

/** The per-collection states of a job (`ApiAtlasCollectionRestoreCollectionStateResponse`); none while INITIALIZING. */
export function collectionStates(job: StoredCollectionJob, now: number): Record<string, unknown>[] {
  const progress = collectionJobProgress(job, now);
  if (progress.state === "INITIALIZING") return [];
  return job.namespaces.map((n) => {
    const missing = n.outcome === "NOT_FOUND";
    const ended =
      progress.state === "SUCCESSFUL" || progress.state === "FAILED" || progress.state === "CANCELED";
    const state = missing
      ? "NOT_FOUND"
      : progress.state === "SUCCESSFUL" || (ended && progress.copied >= 1)
        ? n.outcome === "INDEX_BUILD_FAILED" && job.indexStrategy !== "NONE"
          ? "INDEX_BUILD_FAILED"
          : "SUCCESSFUL"
        : ended
          ? "NOT_RESTORED"
          : progress.state;
    const view: Record<string, unknown> = {
      sourceNamespace: n.sourceNamespace,
      targetNamespace: n.targetNamespace,
      effectiveTargetNamespace: n.effectiveTargetNamespace ?? n.targetNamespace,
      restoredDocuments: missing ? 0 : Math.floor(n.documents * progress.copied),
      totalDocuments: missing ? 0 : n.documents,
      indexStatus: {
        state: indexState(
          job,
          state === "INDEX_BUILD_FAILED" ? "SUCCESSFUL" : progress.state,
          state === "INDEX_BUILD_FAILED",
        ),
      },
    };
    if (state === "INDEX_BUILD_FAILED")
      view.indexStatus = {
        state: "FAILED",
        errorMessage: "An index failed to build.",
        failedIndexes: [{ name: "emulated_1", key: { emulated: 1 } }],
      };
    return { ...view, state };
  });
}

const COLLECTION_STATES = [
  "NOT_STARTED",
  "IN_PROGRESS",
  "FINALIZING",
  "NOT_FOUND",
  "UNSUPPORTED",
  "SUCCESSFUL",
  "ROLLBACK",
  "NOT_RESTORED",
  "FAILED",
  "INDEX_BUILD_FAILED",
];

/** `listGroupClusterCollectionRestoreJobCollections`, filtered by `state`, `sourceNamespace`, `targetNamespace`. */
export function collectionStatesPage(c: OperationContext): unknown {
  const job = pathCollectionJob(c);
  const filters = ["state", "sourceNamespace", "targetNamespace"].map(
    (key) => [key, c.url.searchParams.get(key)] as const,
  );
  const state = c.url.searchParams.get("state");
  if (state !== null && !COLLECTION_STATES.includes(state))
    throw invalidParameter("state", `must be one of ${COLLECTION_STATES.join(", ")}`);
  const states = collectionStates(job, c.now).filter((s) =>
    filters.every(([key, value]) => value === null || s[key] === value),
  );
  // Collection pages take no includeCount (the facts sheet): totalCount is always there.
  return paginate(states, { ...c.flags, includeCount: true }, c.url);
}

/** `getGroupClusterCollectionRestoreJobCollection`: one namespace (`db.collection`) of a job. */
export function collectionState(c: OperationContext): unknown {
  const job = pathCollectionJob(c);
  let source: string;
  try {
    source = decodeURIComponent(c.params.sourceNamespace!);
  } catch {
    throw invalidParameter("sourceNamespace", "must be a percent-encoded <database>.<collection>");
  }
  const state = collectionStates(job, c.now).find((s) => s.sourceNamespace === source);
  if (!state)
    throw new ApiError(404, "RESOURCE_NOT_FOUND", `No collection ${source} in restore job ${job.id}.`, [
      source,
      job.id,
    ]);
  return state;
}
