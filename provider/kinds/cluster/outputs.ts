import type { ClusterRestoreJob, PrivateDownloadUrl } from "../../atlas/cluster-wire";
import {
  flaggedJobOutputs,
  previousSnapshot,
  type SnapshotDecision,
  type SnapshotSource,
  withoutUndefined,
} from "../../restore/job-outputs";
import type { JobOutputs } from "../../restore/types";
import type { ClusterRestoreJobInputs } from "./inputs";
import { clusterJobStatus } from "./status";

/** How the snapshot restored was chosen; `new` when the provider took it on demand (`takeSnapshot`). */
export type ClusterSnapshotSource = SnapshotSource | "new";

/** The snapshot the provider decided to restore, kept in state beside the API's fields. */
export type ClusterDecisions = SnapshotDecision<ClusterSnapshotSource>;

/** Outputs that hold download links: secrets, never in state, errors, logs or plain output. */
export const CLUSTER_SECRET_OUTPUTS = ["deliveryUrl", "privateDownloadDeliveryUrls", "components"] as const;

/** The decisions recorded in earlier outputs, kept when the job is read again. */
export function previousDecisions(previous: Record<string, unknown>): ClusterDecisions {
  const decided = previousSnapshot(previous);
  return previous.snapshotSource === "new" ? { ...decided, snapshotSource: "new" } : decided;
}

/** Whether the restore writes into its own source cluster (a rollback). */
export function isRollback(inputs: ClusterRestoreJobInputs): boolean {
  return (
    inputs.deliveryType !== "download" &&
    inputs.targetClusterName === inputs.clusterName &&
    (inputs.targetGroupId ?? inputs.groupId) === inputs.groupId
  );
}

/**
 * The outputs recorded in state: the inputs as given, the decisions taken, and every field of
 * `DiskBackupSnapshotRestoreJob` one by one (never the payload spread wholesale).
 */
export function clusterOutputs(
  inputs: ClusterRestoreJobInputs,
  job: ClusterRestoreJob,
  decisions: ClusterDecisions,
): JobOutputs {
  return withoutUndefined({
    ...inputs,
    restoreJobId: job.id,
    status: clusterJobStatus(job),
    kind: "cluster",
    // The API that owns the job, as the other kinds record it (what reads it again relies on this).
    api: "cluster",
    snapshotId: job.snapshotId ?? decisions.snapshotId,
    snapshotSource: decisions.snapshotSource,
    targetIsSource: isRollback(inputs),
    deliveryType: inputs.deliveryType,
    targetClusterName: job.targetClusterName ?? inputs.targetClusterName,
    targetGroupId: job.targetGroupId ?? inputs.targetGroupId,
    targetDeploymentItemName: job.targetDeploymentItemName,
    pointInTimeUTCSeconds: job.pointInTimeUTCSeconds ?? inputs.pointInTimeUTCSeconds,
    oplogTs: job.oplogTs ?? inputs.oplogTs,
    oplogInc: job.oplogInc ?? inputs.oplogInc,
    ...flaggedJobOutputs(job),
    desiredTimestamp: desiredTimestampOf(job),
    privateDownloadDeliveryUrls: privateUrls(job.privateDownloadDeliveryUrls),
    components: (job.components ?? []).map((component) =>
      withoutUndefined({
        replicaSetName: component.replicaSetName,
        downloadUrl: component.downloadUrl,
        privateDownloadDeliveryUrls: privateUrls(component.privateDownloadDeliveryUrls),
      }),
    ),
    links: job.links?.map((link) => withoutUndefined({ rel: link.rel, href: link.href })),
  });
}

function privateUrls(urls: readonly PrivateDownloadUrl[] | undefined) {
  return (urls ?? []).map((url) =>
    withoutUndefined({ endpointId: url.endpointId, deliveryUrl: url.deliveryUrl }),
  );
}

/** Atlas answers `{date: null, increment: null}` before it knows the point; that is no timestamp. */
function desiredTimestampOf(job: ClusterRestoreJob): { date?: string; increment?: number } | undefined {
  const date = job.desiredTimestamp?.date ?? undefined;
  const increment = job.desiredTimestamp?.increment ?? undefined;
  return date === undefined && increment === undefined ? undefined : withoutUndefined({ date, increment });
}
