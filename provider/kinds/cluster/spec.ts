import type { ClusterRestoreJob, CreateClusterRestoreJobRequest } from "../../atlas/cluster-wire";
import { flaggedForecast } from "../../atlas/job-history";
import { sharedFirst } from "../../atlas/shared-listing";
import { createAtMostOnce } from "../../restore/at-most-once";
import { earlierChoice } from "../../restore/journal";
import type { JobSource, RestoreJobSpec, Session, StartContext, Started } from "../../restore/types";
import { snapshotIntentKey, takeFreshSnapshot } from "./fresh-snapshot";
import { checkClusterInputs, clusterDiffRules, ClusterRestoreJobInputs } from "./inputs";
import {
  CLUSTER_SECRET_OUTPUTS,
  type ClusterDecisions,
  clusterOutputs,
  isRollback,
  previousDecisions,
} from "./outputs";
import { latestClusterSnapshot } from "./snapshot-choice";
import { clusterJobStatus } from "./status";

/** How a dedicated-cluster restore job is started, read and recorded. */
export const clusterSpec: RestoreJobSpec<ClusterRestoreJobInputs> = {
  noun: "cluster restore job",
  inputs: ClusterRestoreJobInputs,
  check: checkClusterInputs,
  diffRules: clusterDiffRules,
  secretOutputs: CLUSTER_SECRET_OUTPUTS,

  start: startClusterRestore,

  async adopt(session, inputs, jobId) {
    const job = await session.client.getClusterRestoreJob(inputs.groupId, inputs.clusterName, jobId);
    return clusterOutputs(inputs, job, {
      snapshotId: inputs.snapshotId,
      snapshotSource: inputs.snapshotId ? "input" : "job",
    });
  },

  async fetch(session, inputs, previous) {
    const job = await session.client.getClusterRestoreJob(
      inputs.groupId,
      inputs.clusterName,
      previous.restoreJobId,
    );
    return clusterOutputs(inputs, job, previousDecisions(previous));
  },

  target(inputs) {
    const name = inputs.targetClusterName;
    if (inputs.deliveryType === "download" || name === undefined) return undefined;
    return { api: "cluster", groupId: inputs.targetGroupId ?? inputs.groupId, name };
  },
};

/** Chooses (or takes) the snapshot, then creates the job at most once per intent. */
async function startClusterRestore(
  session: Session,
  inputs: ClusterRestoreJobInputs,
  context: StartContext,
): Promise<Started> {
  if (isRollback(inputs)) {
    session.log.warn(
      `restoring into the source cluster itself; its current data will be replaced: ${inputs.clusterName}`,
    );
  }
  const decisions = await chooseSnapshot(session, inputs, context);
  const body = requestOf(inputs, decisions);
  const { job, how, listed } = await createAtMostOnce({
    ...context,
    clock: session.clock,
    log: session.log,
    noun: clusterSpec.noun,
    decision: decisions,
    source: {
      ...clusterJobSource(session, inputs.groupId, inputs.clusterName, body),
      chosen: decisions.snapshotSource === "latest" ? ["snapshotId"] : [],
    },
  });
  // The job now stands for the snapshot: a later run adopts the job, never takes another snapshot.
  if (inputs.takeSnapshot) session.journal.delete(snapshotIntentKey(inputs));
  const forecast = flaggedForecast(job, listed, session.clock.now());
  return { outs: clusterOutputs(inputs, job, decisions), how, ...(forecast ? { forecast } : {}) };
}

/**
 * The dedicated job source: same delivery, snapshot, target and moment. A point in time is compared
 * through `desiredTimestamp` when the job does not echo the request's fields.
 */
export function clusterJobSource(
  session: Session,
  groupId: string,
  clusterName: string,
  body: CreateClusterRestoreJobRequest,
): JobSource<ClusterRestoreJob> {
  const { client } = session;
  return {
    list: sharedFirst((reuse) => client.listClusterRestoreJobs(groupId, clusterName, reuse)),
    get: (id) => client.getClusterRestoreJob(groupId, clusterName, id),
    create: () => client.createClusterRestoreJob(groupId, clusterName, body),
    intent: body as unknown as Record<string, unknown>,
    reported: (job) => {
      const date = job.desiredTimestamp?.date;
      const moment = date ? Date.parse(date) / 1000 : undefined;
      return {
        deliveryType: job.deliveryType,
        snapshotId: job.snapshotId,
        targetClusterName: job.targetClusterName,
        targetGroupId: job.targetGroupId,
        pointInTimeUTCSeconds: job.pointInTimeUTCSeconds ?? moment,
        oplogTs: job.oplogTs ?? moment,
        oplogInc: job.oplogInc,
      };
    },
    running: (job) => clusterJobStatus(job) === "RUNNING",
  };
}

/**
 * The snapshot to restore: the given one; a new one (`takeSnapshot`); none for a point in time
 * (Atlas chooses); otherwise the newest completed one (the one an interrupted attempt chose, on its
 * rerun).
 */
async function chooseSnapshot(
  session: Session,
  inputs: ClusterRestoreJobInputs,
  context: StartContext,
): Promise<ClusterDecisions> {
  if (inputs.snapshotId !== undefined) return { snapshotId: inputs.snapshotId, snapshotSource: "input" };
  if (inputs.deliveryType === "pointInTime") return { snapshotId: undefined, snapshotSource: "job" };
  if (inputs.takeSnapshot) {
    const id = await takeFreshSnapshot(
      session,
      inputs,
      inputs.takeSnapshot,
      inputs.waitTimeoutSeconds * 1000,
    );
    return { snapshotId: id, snapshotSource: "new" };
  }
  const chosen = earlierChoice(context);
  if (chosen !== undefined) return { snapshotId: chosen, snapshotSource: "latest" };
  const newest = await latestClusterSnapshot(session.client, inputs.groupId, inputs.clusterName);
  if (!newest) throw new Error(`no completed snapshot to restore from cluster: ${inputs.clusterName}`);
  session.log.info(`restoring the newest completed snapshot of ${inputs.clusterName}: ${newest.id}`);
  return { snapshotId: newest.id, snapshotSource: "latest" };
}

/** The POST body: only what the delivery type uses (a download sends no target). */
function requestOf(
  inputs: ClusterRestoreJobInputs,
  decisions: ClusterDecisions,
): CreateClusterRestoreJobRequest {
  const body: CreateClusterRestoreJobRequest = { deliveryType: inputs.deliveryType };
  if (decisions.snapshotId !== undefined) body.snapshotId = decisions.snapshotId;
  if (inputs.deliveryType !== "download") {
    body.targetClusterName = inputs.targetClusterName;
    body.targetGroupId = inputs.targetGroupId ?? inputs.groupId;
  }
  if (inputs.pointInTimeUTCSeconds !== undefined) body.pointInTimeUTCSeconds = inputs.pointInTimeUTCSeconds;
  if (inputs.oplogTs !== undefined) {
    body.oplogTs = inputs.oplogTs;
    body.oplogInc = inputs.oplogInc;
  }
  return body;
}
