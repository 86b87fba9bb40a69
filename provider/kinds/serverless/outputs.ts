import type { FlexRestoreJob, ServerlessJobWire } from "../../atlas/wire";
import { flaggedJobOutputs, type SnapshotDecision, withoutUndefined } from "../../restore/job-outputs";
import { flexJobStatus, serverlessJobStatus } from "../../restore/job-status";
import type { JobOutputs } from "../../restore/types";
import type { ServerlessRestoreJobInputs } from "./inputs";

/** A serverless resource's job and the API that owns it: `flex` after a sunset fallback. */
export type OwnedJob = { api: "serverless"; job: ServerlessJobWire } | { api: "flex"; job: FlexRestoreJob };

/**
 * The outputs recorded in state: the inputs as given, the decisions taken, and the API's fields one by
 * one (never the payload spread wholesale, so nothing unexpected lands in state). A Flex job that
 * stands in for a serverless one is recorded in the same shape.
 */
export function serverlessOutputs(
  inputs: ServerlessRestoreJobInputs,
  { api, job }: OwnedJob,
  decisions: SnapshotDecision,
): JobOutputs {
  const fields = api === "flex" ? fromFlex(job) : fromServerless(job);
  return withoutUndefined({
    ...inputs,
    restoreJobId: job.id,
    api,
    snapshotId: job.snapshotId ?? decisions.snapshotId,
    snapshotSource: decisions.snapshotSource,
    targetIsSource: isRollback(inputs),
    ...fields,
    targetClusterName: fields.targetClusterName ?? targetOf(inputs),
    targetGroupId: fields.targetGroupId ?? inputs.targetGroupId,
  });
}

function fromServerless(job: ServerlessJobWire) {
  return {
    status: serverlessJobStatus(job),
    targetClusterName: job.targetClusterName,
    targetGroupId: job.targetGroupId,
    ...flaggedJobOutputs(job),
    desiredTimestamp: job.desiredTimestamp
      ? withoutUndefined({ date: job.desiredTimestamp.date, increment: job.desiredTimestamp.increment })
      : undefined,
  };
}

/** A Flex job has a status and no flags; it cannot be cancelled and does not expire. */
function fromFlex(job: FlexRestoreJob) {
  const status = flexJobStatus(job);
  return {
    status,
    targetClusterName: job.targetDeploymentItemName,
    targetGroupId: job.targetProjectId,
    failed: status === "FAILED",
    cancelled: false,
    expired: false,
    finishedAt: job.restoreFinishedDate,
    expiresAt: job.expirationDate,
    timestamp: job.snapshotFinishedDate,
    deliveryUrl: job.snapshotUrl ? [job.snapshotUrl] : [],
  };
}

/** The instance that receives the data: the source itself when none is named. */
export function targetOf(inputs: ServerlessRestoreJobInputs): string {
  return inputs.targetClusterName ?? inputs.clusterName;
}

/** Whether the restore writes into its own source instance (a rollback). */
export function isRollback(inputs: ServerlessRestoreJobInputs): boolean {
  return targetOf(inputs) === inputs.clusterName && inputs.targetGroupId === inputs.groupId;
}
