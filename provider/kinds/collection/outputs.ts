import type { CollectionRestoreJob, CollectionRestoreState } from "../../atlas/collection-wire";
import { type SnapshotSource, withoutUndefined } from "../../restore/job-outputs";
import type { RestoreJobStatus } from "../../restore/job-status";
import type { JobOutputs } from "../../restore/types";
import type { CollectionRestoreJobInputs } from "./inputs";

/** What messages call a collection-level restore job. */
export const NOUN = "collection restore job";

/** Collection states that end a collection without its data (or its indexes) restored. */
export const UNRESTORED_STATES = [
  "NOT_FOUND",
  "ROLLBACK",
  "INDEX_BUILD_FAILED",
  "UNSUPPORTED",
  "NOT_RESTORED",
  "FAILED",
] as const;

/** A job's `state` as this provider's status: the first three run, the others end it. */
export function collectionJobStatus(
  job: Pick<CollectionRestoreJob, "state" | "finishedAt">,
): RestoreJobStatus {
  switch (job.state) {
    case "SUCCESSFUL":
      return "COMPLETED";
    case "FAILED":
      return "FAILED";
    case "CANCELED":
      return "CANCELLED";
    case "INITIALIZING":
    case "IN_PROGRESS":
    case "FINALIZING":
      return "RUNNING";
    default:
      // A state added later: ended when Atlas says it finished, otherwise still running.
      return job.finishedAt ? "FAILED" : "RUNNING";
  }
}

/** One collection of a collection restore job, as its `/collections` sub-resource reports it. */
export interface CollectionSummary {
  /** The collection in the snapshot, `db.collection`. */
  sourceNamespace: string;
  /** Where it was asked to go. */
  targetNamespace?: string;
  /** Where it went, after Atlas renamed it to avoid a conflict. */
  effectiveTargetNamespace?: string;
  /**
   * NOT_STARTED, IN_PROGRESS, FINALIZING, NOT_FOUND, UNSUPPORTED, SUCCESSFUL, ROLLBACK, NOT_RESTORED,
   * FAILED or INDEX_BUILD_FAILED.
   */
  state: string;
  /** Documents copied so far. */
  restoredDocuments: number;
  /** Documents to copy (Atlas may first only estimate it). */
  totalDocuments: number;
  /** The collection's index build: NOT_STARTED, IN_PROGRESS, SUCCESSFUL, FAILED or NOT_RESTORED. */
  indexState?: string;
  /** Why its indexes failed to build. */
  indexErrorMessage?: string;
}

/** The per-collection summary, one entry per collection, in Atlas's order. */
export function collectionSummaries(states: readonly CollectionRestoreState[]): CollectionSummary[] {
  return states.map((s) =>
    withoutUndefined({
      sourceNamespace: s.sourceNamespace ?? "",
      targetNamespace: s.targetNamespace ?? undefined,
      effectiveTargetNamespace: s.effectiveTargetNamespace ?? s.targetNamespace ?? undefined,
      state: s.state ?? "UNKNOWN",
      restoredDocuments: s.restoredDocuments ?? 0,
      totalDocuments: s.totalDocuments ?? 0,
      indexState: s.indexStatus?.state ?? undefined,
      indexErrorMessage: s.indexStatus?.errorMessage ?? undefined,
    }),
  );
}

/** The collections that ended unrestored, as `orders.audit (INDEX_BUILD_FAILED)`. */
export function unrestoredCollections(summaries: readonly CollectionSummary[]): string[] {
  return summaries
    .filter((s) => (UNRESTORED_STATES as readonly string[]).includes(s.state))
    .map((s) => `${s.sourceNamespace} (${s.state})`);
}

/** Restored documents as a whole percentage of the total, which Atlas may first only estimate. */
export function percentRestored(restored: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((restored / total) * 100));
}

/** `collection restore job <id>: IN_PROGRESS, 60000 of 155000 documents (38%)`. */
export function progressLine(noun: string, outs: JobOutputs): string {
  const restored = Number(outs.restoredDocuments ?? 0);
  const total = Number(outs.totalDocuments ?? 0);
  return (
    `${noun} ${outs.restoreJobId}: ${String(outs.state)}, ${restored} of ${total} documents ` +
    `(${percentRestored(restored, total)}%)`
  );
}

/**
 * The outputs the restore's record completes, once per job, from the job's per-collection states:
 * the program's reads of the job leave them out, so that a finished restore costs one read per `up`.
 */
export const COMPLETED_BY_RECORD = ["collectionStates", "unrestoredCollections", "partial"] as const;

/** The per-collection outcome of a job that ended with `status`: the {@link COMPLETED_BY_RECORD} keys. */
export function collectionDetails(
  states: readonly CollectionRestoreState[],
  status: unknown,
): Record<(typeof COMPLETED_BY_RECORD)[number], unknown> {
  const summaries = collectionSummaries(states);
  const unrestored = unrestoredCollections(summaries);
  return {
    collectionStates: summaries,
    unrestoredCollections: unrestored,
    partial: status === "COMPLETED" && unrestored.length > 0,
  };
}

/**
 * The outputs a read of the job gives: the inputs as given (Atlas echoes some back changed: `""`
 * suffixes, `[]` lists, the point in time copied between fields, which would read as changes), the
 * snapshot restored and how it was chosen, and every field of the job's own. The per-collection
 * outcome is not the job's: the record completes it (see {@link COMPLETED_BY_RECORD}).
 */
export function collectionOutputs(
  inputs: CollectionRestoreJobInputs,
  job: CollectionRestoreJob,
  snapshotSource: SnapshotSource,
): JobOutputs {
  return withoutUndefined({
    ...inputs,
    restoreJobId: job.id,
    status: collectionJobStatus(job),
    kind: "collection",
    api: "collection",
    state: job.state ?? "INITIALIZING",
    snapshotId: job.snapshotId ?? inputs.snapshotId,
    snapshotSource,
    targetIsSource:
      inputs.targetClusterName === inputs.clusterName && inputs.targetGroupId === inputs.groupId,
    createdAt: job.createdAt ?? undefined,
    finishedAt: job.finishedAt ?? undefined,
    errorMessage: job.errorMessage ?? undefined,
    restoredDocuments: job.restoredDocuments ?? 0,
    totalDocuments: job.totalDocuments ?? 0,
    percentRestored: percentRestored(job.restoredDocuments ?? 0, job.totalDocuments ?? 0),
    indexStatus: withoutUndefined({
      state: job.indexStatus?.state ?? undefined,
      failedCollectionCount: job.indexStatus?.failedCollectionCount ?? undefined,
    }),
  });
}
