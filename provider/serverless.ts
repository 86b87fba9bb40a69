import type { BackupSnapshot, ServerlessRestoreJob } from "./codecs";
import type { JobOutputs, RestoreJobSpec, Session } from "./lifecycle";
import { serverlessJobStatus } from "./restore-job-state";
import { checkServerlessInputs, serverlessDiffRules, ServerlessRestoreJobInputs } from "./serverless-inputs";

/** How a serverless restore job is started, read and recorded. */
export const serverlessSpec: RestoreJobSpec<ServerlessRestoreJobInputs> = {
  noun: "serverless restore job",
  inputs: ServerlessRestoreJobInputs,
  check: checkServerlessInputs,
  diffRules: serverlessDiffRules,
  secretOutputs: ["deliveryUrl"],

  async start(session, inputs) {
    const { snapshotId, snapshotSource } = await chooseSnapshot(session, inputs);
    const target = inputs.targetClusterName ?? inputs.clusterName;
    const targetIsSource = target === inputs.clusterName && inputs.targetGroupId === inputs.groupId;
    if (targetIsSource && inputs.deliveryType !== "download") {
      session.log.warn(
        `restoring into the source instance itself; its current data will be replaced: ${target}`,
      );
    }
    const job = await session.client.createServerlessRestoreJob(inputs.groupId, inputs.clusterName, {
      deliveryType: inputs.deliveryType,
      targetClusterName: target,
      targetGroupId: inputs.targetGroupId,
      ...(snapshotId !== undefined ? { snapshotId } : {}),
      ...(inputs.pointInTimeUTCSeconds !== undefined
        ? { pointInTimeUTCSeconds: inputs.pointInTimeUTCSeconds }
        : {}),
      ...(inputs.oplogTs !== undefined ? { oplogTs: inputs.oplogTs, oplogInc: inputs.oplogInc } : {}),
    });
    return serverlessOutputs(inputs, job, { snapshotId, snapshotSource, targetIsSource });
  },

  async fetch(session, inputs, previous) {
    const job = await session.client.getServerlessRestoreJob(
      inputs.groupId,
      inputs.clusterName,
      previous.restoreJobId,
    );
    return serverlessOutputs(inputs, job, {
      snapshotId: typeof previous.snapshotId === "string" ? previous.snapshotId : undefined,
      snapshotSource: previous.snapshotSource === "latest" ? "latest" : "input",
      targetIsSource: previous.targetIsSource === true,
    });
  },
};

/** What the provider decided before starting the job, kept in state beside the API's fields. */
interface Decisions {
  readonly snapshotId: string | undefined;
  /** `latest` when the provider chose the newest completed snapshot; `input` otherwise. */
  readonly snapshotSource: "input" | "latest";
  readonly targetIsSource: boolean;
}

/** The snapshot to restore: the given one, or the newest completed one for automated and download restores. */
async function chooseSnapshot(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
): Promise<Pick<Decisions, "snapshotId" | "snapshotSource">> {
  if (inputs.snapshotId !== undefined || inputs.deliveryType === "pointInTime") {
    return { snapshotId: inputs.snapshotId, snapshotSource: "input" };
  }
  const snapshots = await session.client.listServerlessSnapshots(inputs.groupId, inputs.clusterName);
  const newest = newestCompleted(snapshots);
  if (!newest)
    throw new Error(`no completed snapshot to restore from serverless instance: ${inputs.clusterName}`);
  session.log.info(`restoring the newest completed snapshot of ${inputs.clusterName}: ${newest.id}`);
  return { snapshotId: newest.id, snapshotSource: "latest" };
}

/** The newest snapshot whose status is `completed`; undefined when there is none. */
export function newestCompleted(snapshots: readonly BackupSnapshot[]): BackupSnapshot | undefined {
  return snapshots
    .filter((s) => s.status?.toLowerCase() === "completed")
    .reduce<BackupSnapshot | undefined>(
      (best, s) =>
        best === undefined || Date.parse(s.createdAt ?? "") > Date.parse(best.createdAt ?? "") ? s : best,
      undefined,
    );
}

/**
 * The outputs recorded in state: the inputs as given, the decisions taken, and the API's fields one by
 * one (never the payload spread wholesale, so nothing unexpected lands in state).
 */
export function serverlessOutputs(
  inputs: ServerlessRestoreJobInputs,
  job: ServerlessRestoreJob,
  decisions: Decisions,
): JobOutputs {
  return withoutUndefined({
    ...inputs,
    restoreJobId: job.id,
    status: serverlessJobStatus(job),
    api: "serverless",
    snapshotId: job.snapshotId ?? decisions.snapshotId,
    snapshotSource: decisions.snapshotSource,
    targetIsSource: decisions.targetIsSource,
    targetClusterName: job.targetClusterName ?? inputs.targetClusterName ?? inputs.clusterName,
    targetGroupId: job.targetGroupId ?? inputs.targetGroupId,
    failed: job.failed ?? false,
    cancelled: job.cancelled ?? false,
    expired: job.expired ?? false,
    finishedAt: job.finishedAt,
    expiresAt: job.expiresAt,
    timestamp: job.timestamp,
    deliveryUrl: job.deliveryUrl ?? [],
    desiredTimestamp: job.desiredTimestamp
      ? { date: job.desiredTimestamp.date, increment: job.desiredTimestamp.increment }
      : undefined,
  });
}

/** Protobuf structs cannot hold `undefined`; absent fields are simply left out of state. */
function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
