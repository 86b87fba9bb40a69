// Collection-level restore jobs (2025-03-12): what was asked, and their progress as a pure function of
// the stored facts and "now", like the other restore jobs.

/** What a collection can end as when it is forced (seed `restoreOutcome` or the admin API). */
export type CollectionOutcome = "NOT_FOUND" | "INDEX_BUILD_FAILED";

/** One namespace of a job: a collection to copy, with what it will end as. */
export interface StoredNamespace {
  sourceNamespace: string;
  targetNamespace: string;
  /** Where it lands when `targetNamespace` exists and the write strategy is CREATE_NEW (Atlas renames). */
  effectiveTargetNamespace?: string;
  /** Documents it holds (0 when it does not exist). */
  documents: number;
  outcome?: CollectionOutcome;
}

/** A collection-level restore job as the store keeps it. */
export interface StoredCollectionJob {
  id: string;
  groupId: string;
  clusterName: string;
  snapshotId: string;
  targetGroupId: string;
  targetClusterName: string;
  writeStrategy: string;
  indexStrategy: string;
  databases: Array<{ sourceNamespace: string; targetNamespace?: string }>;
  collections: Array<{ sourceNamespace: string; targetNamespace?: string }>;
  databaseSuffix: string;
  collectionSuffix: string;
  pointInTimeUtcSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
  namespaces: StoredNamespace[];
  /** Emulator ms. */
  createdAt: number;
  durationMs: number;
  /** Set by the admin API: ends the job CANCELED or FAILED at that time. */
  cancelledAt?: number;
  failedAt?: number;
}

/** The job states of the OpenAPI (`ApiAtlasCollectionRestoreJobResponse.state`). */
export type CollectionJobState =
  "INITIALIZING" | "IN_PROGRESS" | "FINALIZING" | "SUCCESSFUL" | "CANCELED" | "FAILED";

/** A job at one instant. */
export interface CollectionJobProgress {
  state: CollectionJobState;
  /** In [0, 1]: how much of the documents are copied. */
  copied: number;
  finishedAt?: number;
  errorMessage?: string;
}

// Tenths of the duration: initializing, then copying until FINALIZING_FROM, then building indexes.
const COPY_FROM = 1;
const FINALIZING_FROM = 8;

/** A job's state at `now`. */
export function collectionJobProgress(job: StoredCollectionJob, now: number): CollectionJobProgress {
  const endsAt = job.createdAt + job.durationMs;
  const stop = [job.cancelledAt, job.failedAt].filter((t): t is number => t !== undefined && t < endsAt);
  const stoppedAt = stop.length > 0 ? Math.min(...stop) : undefined;
  const at = stoppedAt !== undefined && now >= stoppedAt ? stoppedAt : now;
  const elapsed = Math.min(at, endsAt) - job.createdAt;
  const tenths = (elapsed * 10) / job.durationMs;
  const copied = Math.max(0, Math.min(1, (tenths - COPY_FROM) / (FINALIZING_FROM - COPY_FROM)));
  if (stoppedAt !== undefined && now >= stoppedAt) {
    const cancelled = stoppedAt === job.cancelledAt;
    return {
      state: cancelled ? "CANCELED" : "FAILED",
      copied,
      finishedAt: stoppedAt,
      errorMessage: cancelled ? "The restore job was canceled." : "The restore job failed.",
    };
  }
  if (now >= endsAt) {
    const missing = job.namespaces.find((n) => n.outcome === "NOT_FOUND");
    if (missing)
      return {
        state: "FAILED",
        copied,
        finishedAt: endsAt,
        errorMessage: `collection was not found: ${missing.sourceNamespace}`,
      };
    return { state: "SUCCESSFUL", copied: 1, finishedAt: endsAt };
  }
  const state = tenths < COPY_FROM ? "INITIALIZING" : tenths < FINALIZING_FROM ? "IN_PROGRESS" : "FINALIZING";
  return { state, copied };
}

/** Whether the job still runs at `now` (a second one on the same cluster answers 409). */
export function isCollectionJobRunning(job: StoredCollectionJob, now: number): boolean {
  const { state } = collectionJobProgress(job, now);
  return state === "INITIALIZING" || state === "IN_PROGRESS" || state === "FINALIZING";
}
