import type { FlexRestoreJob, ServerlessJobWire } from "../atlas/wire";
import type { JobClass } from "../waiting/poll";

/** A restore job's status as this provider reports it, derived for serverless jobs. */
export type RestoreJobStatus = "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED" | "EXPIRED";

/**
 * A serverless job has no status field. It is terminal when `failed`, `cancelled`, `expired` or
 * `finishedAt` is set (the rule MongoDB's Atlas CLI uses); a download job is usable as soon as it has
 * a delivery URL.
 */
export function serverlessJobStatus(job: ServerlessJobWire): RestoreJobStatus {
  if (job.failed) return "FAILED";
  if (job.cancelled) return "CANCELLED";
  if (job.expired) return "EXPIRED";
  if (job.finishedAt) return "COMPLETED";
  if (job.deliveryType === "download" && (job.deliveryUrl?.length ?? 0) > 0) return "COMPLETED";
  return "RUNNING";
}

/**
 * A flex job reports its status; PENDING, QUEUED and RUNNING are all still running. A download is
 * usable once it has a URL.
 */
export function flexJobStatus(job: FlexRestoreJob): RestoreJobStatus {
  if (job.status === "FAILED") return "FAILED";
  if (job.status === "COMPLETED") return "COMPLETED";
  if (job.deliveryType === "DOWNLOAD" && job.snapshotUrl) return "COMPLETED";
  return "RUNNING";
}

/** Maps a status onto the poll loop's three outcomes. */
export function classifyStatus(status: RestoreJobStatus): JobClass {
  if (status === "COMPLETED") return "SUCCESS";
  return status === "RUNNING" ? "RETRY" : "FAILURE";
}
