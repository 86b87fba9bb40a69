// Pure restore-job progression. A job's visible state is a function of its stored facts and "now": no
// timers, so a restarted emulator (same state file) shows the same job further along, and a test's manual
// clock moves jobs forward deterministically.

/** The APIs whose restore jobs the emulator keeps. */
export type ClusterApi = "serverless" | "flex" | "cluster";

/** Delivery types of serverless and dedicated-cluster restore jobs (Atlas spelling). */
export type ServerlessDeliveryType = "automated" | "download" | "pointInTime";

/** Delivery types of flex restore jobs (Atlas spelling). */
export type FlexDeliveryType = "RESTORE" | "DOWNLOAD";

/** Keys of per-delivery-type restore durations (`restoreDurations` option). */
export type RestoreKind =
  | "automated"
  | "download"
  | "pointInTime"
  | "flexRestore"
  | "flexDownload"
  | "clusterAutomated"
  | "clusterDownload"
  | "clusterPointInTime"
  | "clusterCollections";

/** All {@link RestoreKind} values. */
export const RESTORE_KINDS: readonly RestoreKind[] = [
  "automated",
  "download",
  "pointInTime",
  "flexRestore",
  "flexDownload",
  "clusterAutomated",
  "clusterDownload",
  "clusterPointInTime",
  "clusterCollections",
];

/** A restore job as the store keeps it: what was asked, when, and the admin overrides applied to it. */
export interface StoredJob {
  /** 24-hex job id. */
  id: string;
  /** Which API created it. */
  api: ClusterApi;
  /** Source project. */
  groupId: string;
  /** Source serverless instance or flex cluster. */
  clusterName: string;
  /** Snapshot restored (for point-in-time: the one the time falls after). */
  snapshotId: string;
  /** When the snapshot was taken (ISO 8601). */
  snapshotCreatedAt: string;
  deliveryType: ServerlessDeliveryType | FlexDeliveryType;
  targetGroupId?: string;
  targetClusterName?: string;
  oplogTs?: number;
  oplogInc?: number;
  pointInTimeUTCSeconds?: number;
  /** Emulator-clock epoch ms at creation. */
  createdAt: number;
  /** How long the restore runs, in emulator ms (already divided by the time scale). */
  durationMs: number;
  /** Download links stay valid this long after the job finishes (ms). */
  downloadTtlMs: number;
  /** Whether the job ends FAILED rather than COMPLETED. */
  fails: boolean;
  /** Emulator ms at which an admin cancelled it. */
  cancelledAt?: number;
  /** Emulator ms at which an admin expired it. */
  expiredAt?: number;
  /** Emulator ms since which an admin holds it where it is (it does not move on until released). */
  heldAt?: number;
  /** Emulator ms it spent held before, added to its end. */
  heldMs?: number;
}

/** Where a job is in its life. `CANCELLED` only arises from the admin endpoint. */
export type JobPhase = "PENDING" | "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";

/** A job's state at one instant. */
export interface JobProgress {
  phase: JobPhase;
  /** When it completed or failed (epoch ms); absent while running or when cancelled. */
  finishedAt?: number;
  /** When its download link stops working (epoch ms); download jobs only, once the link exists. */
  expiresAt?: number;
  expired: boolean;
  /** Whether its download link serves now. */
  linkServes: boolean;
}

// Tenths of the duration spent pending, then queued, before running: Atlas shows these phases briefly.
// Whole tenths keep the boundaries exact (0.1 + 0.2 is not 0.3 in floating point).
const PENDING_TENTHS = 1;
const QUEUED_TENTHS = 2;

/** Computes a job's phase, finish and expiry at `now` (epoch ms). */
export function jobProgress(job: StoredJob, now: number): JobProgress {
  // A held job's time stands still: it ends as much later as it was held, and never while held.
  const held = (job.heldMs ?? 0) + (job.heldAt !== undefined ? Math.max(0, now - job.heldAt) : 0);
  const endsAt = job.createdAt + job.durationMs + held;
  const cancelled = job.cancelledAt !== undefined && job.cancelledAt < endsAt && now >= job.cancelledAt;
  const expiredByAdmin = job.expiredAt !== undefined && now >= job.expiredAt;
  if (cancelled) return { phase: "CANCELLED", expired: expiredByAdmin, linkServes: false };
  // A Flex download answers its link at once, "active for four hours after you make the request" (the
  // OpenAPI's description of downloadGroupFlexClusterBackup); a serverless one once it finished.
  const linkFromStart = isDownload(job) && job.api === "flex" && !job.fails;
  const link = (finished: boolean): Pick<JobProgress, "expiresAt" | "expired" | "linkServes"> => {
    if (!linkFromStart && !(finished && isDownload(job) && !job.fails))
      return { expired: expiredByAdmin, linkServes: false };
    const expiresAt = (linkFromStart ? job.createdAt : endsAt) + job.downloadTtlMs;
    const expired = expiredByAdmin || now >= expiresAt;
    return { expiresAt, expired, linkServes: !expired };
  };
  if (now < endsAt || job.heldAt !== undefined) {
    const elapsed = now - job.createdAt - held;
    const phase: JobPhase =
      elapsed * 10 < job.durationMs * PENDING_TENTHS
        ? "PENDING"
        : elapsed * 10 < job.durationMs * (PENDING_TENTHS + QUEUED_TENTHS)
          ? "QUEUED"
          : "RUNNING";
    return { phase, ...link(false) };
  }
  if (job.fails) return { phase: "FAILED", finishedAt: endsAt, expired: expiredByAdmin, linkServes: false };
  return { phase: "COMPLETED", finishedAt: endsAt, ...link(true) };
}

/** Whether the job delivers a download link rather than restoring into a cluster. */
export function isDownload(job: Pick<StoredJob, "deliveryType">): boolean {
  return job.deliveryType === "download" || job.deliveryType === "DOWNLOAD";
}

/** Whether the job is still running (pending, queued or running). */
export function isRunning(progress: JobProgress): boolean {
  return progress.phase === "PENDING" || progress.phase === "QUEUED" || progress.phase === "RUNNING";
}

/** The duration key a job of this API and delivery type uses. */
export function restoreKindOf(api: StoredJob["api"], deliveryType: StoredJob["deliveryType"]): RestoreKind {
  if (api === "flex") return deliveryType === "DOWNLOAD" ? "flexDownload" : "flexRestore";
  if (api === "cluster")
    return deliveryType === "download"
      ? "clusterDownload"
      : deliveryType === "pointInTime"
        ? "clusterPointInTime"
        : "clusterAutomated";
  return deliveryType as ServerlessDeliveryType;
}

/** One restore that landed in a cluster. */
export interface RestoreRecord {
  jobId: string;
  api: StoredJob["api"];
  deliveryType: StoredJob["deliveryType"];
  snapshotId: string;
  sourceGroupId: string;
  sourceClusterName: string;
  /** When the data arrived (ISO 8601). */
  restoredAt: string;
  pointInTimeUTCSeconds?: number;
}

/** Restores that completed into `api`'s cluster `groupId/name` by `now`, oldest first. */
export function restoresInto(
  jobs: readonly StoredJob[],
  api: StoredJob["api"],
  groupId: string,
  name: string,
  now: number,
): RestoreRecord[] {
  const records: Array<RestoreRecord & { at: number }> = [];
  for (const job of jobs) {
    if (job.api !== api || isDownload(job)) continue;
    if (job.targetGroupId !== groupId || job.targetClusterName !== name) continue;
    const progress = jobProgress(job, now);
    if (progress.phase !== "COMPLETED" || progress.finishedAt === undefined) continue;
    const record: RestoreRecord & { at: number } = {
      at: progress.finishedAt,
      jobId: job.id,
      api: job.api,
      deliveryType: job.deliveryType,
      snapshotId: job.snapshotId,
      sourceGroupId: job.groupId,
      sourceClusterName: job.clusterName,
      restoredAt: new Date(progress.finishedAt).toISOString(),
    };
    if (job.pointInTimeUTCSeconds !== undefined) record.pointInTimeUTCSeconds = job.pointInTimeUTCSeconds;
    records.push(record);
  }
  records.sort((a, b) => a.at - b.at || a.jobId.localeCompare(b.jobId));
  return records.map(({ at: _at, ...record }) => record);
}

/** Whether a restore into `api`'s cluster `groupId/name` is running at `now` (its stateName is then UPDATING). */
export function isBeingRestored(
  jobs: readonly StoredJob[],
  api: StoredJob["api"],
  groupId: string,
  name: string,
  now: number,
): boolean {
  return jobs.some(
    (job) =>
      job.api === api &&
      !isDownload(job) &&
      job.targetGroupId === groupId &&
      job.targetClusterName === name &&
      isRunning(jobProgress(job, now)),
  );
}
