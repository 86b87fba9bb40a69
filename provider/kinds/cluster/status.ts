import type { ClusterRestoreJob } from "../../atlas/cluster-wire";
import type { RestoreJobStatus } from "../../restore/job-status";

/**
 * A dedicated job has no status field. The rule is the Atlas CLI watcher's: terminal when `failed`,
 * `cancelled`, `expired` or `finishedAt` is set; a download is usable once it has a `deliveryUrl`
 * (Atlas may never set `finishedAt` on one). A sharded cluster's download carries its links per
 * replica set in `components`, so it is usable once every component has one.
 */
export function clusterJobStatus(job: ClusterRestoreJob): RestoreJobStatus {
  if (job.failed) return "FAILED";
  if (job.cancelled) return "CANCELLED";
  if (job.expired) return "EXPIRED";
  if (job.finishedAt) return "COMPLETED";
  if (job.deliveryType?.toLowerCase() === "download" && hasLinks(job)) return "COMPLETED";
  return "RUNNING";
}

function hasLinks(job: ClusterRestoreJob): boolean {
  if ((job.deliveryUrl?.length ?? 0) > 0) return true;
  const components = job.components ?? [];
  return components.length > 0 && components.every((c) => Boolean(c.downloadUrl));
}

/** Whether Atlas itself ended the job (a flag or `finishedAt`), as opposed to only offering links. */
export function jobEnded(job: ClusterRestoreJob): boolean {
  return Boolean(job.failed || job.cancelled || job.expired || job.finishedAt);
}
