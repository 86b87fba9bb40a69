import { flexForecast } from "../../atlas/job-history";
import { sharedFirst } from "../../atlas/shared-listing";
import type { FlexRestoreJob } from "../../atlas/wire";
import { createAtMostOnce } from "../../restore/at-most-once";
import { previousSnapshot, type SnapshotSource, withoutUndefined } from "../../restore/job-outputs";
import { flexJobStatus } from "../../restore/job-status";
import { earlierChoice } from "../../restore/journal";
import { latestSnapshot } from "../../restore/snapshot-choice";
import type { JobOutputs, JobSource, RestoreJobSpec, Session, StartContext } from "../../restore/types";
import { checkFlexInputs, flexDiffRules, FlexRestoreJobInputs } from "./inputs";

/** How a flex restore job is started, read and recorded. */
export const flexSpec: RestoreJobSpec<FlexRestoreJobInputs> = {
  noun: "flex restore job",
  inputs: FlexRestoreJobInputs,
  check: checkFlexInputs,
  diffRules: flexDiffRules,
  secretOutputs: ["snapshotUrl"],

  async start(session, inputs, context) {
    const { snapshotId, snapshotSource } = await chooseFlexSnapshot(
      session,
      inputs.groupId,
      inputs.name,
      inputs.snapshotId,
      context,
    );
    const { job, how, listed } = await createFlexJobOnce(
      session,
      context,
      inputs.groupId,
      inputs.name,
      {
        snapshotId,
        targetDeploymentItemName: inputs.targetDeploymentItemName,
        targetProjectId: inputs.targetProjectId,
      },
      snapshotSource,
    );
    const forecast = flexForecast(job, listed, session.clock.now());
    return { outs: flexOutputs(inputs, job, snapshotSource), how, ...(forecast ? { forecast } : {}) };
  },

  async adopt(session, inputs, jobId) {
    const job = await session.client.getFlexRestoreJob(inputs.groupId, inputs.name, jobId);
    return flexOutputs(inputs, job, inputs.snapshotId ? "input" : "job");
  },

  async fetch(session, inputs, previous) {
    const job = await session.client.getFlexRestoreJob(inputs.groupId, inputs.name, previous.restoreJobId);
    return flexOutputs(inputs, job, previousSnapshot(previous).snapshotSource);
  },

  target: (inputs) => ({
    api: "flex",
    groupId: inputs.targetProjectId,
    name: inputs.targetDeploymentItemName,
  }),
};

/** What a flex restore (with a target) or download (without) asks for. */
export interface FlexRequest {
  readonly snapshotId: string;
  readonly targetDeploymentItemName?: string;
  readonly targetProjectId?: string;
}

/**
 * The flex job source: the same snapshot into the same target, or the same snapshot's download.
 * `restoreScheduledDate` is when Atlas took the job, which tells this attempt's job from an old one.
 */
export function flexJobSource(
  session: Session,
  groupId: string,
  name: string,
  request: FlexRequest,
): JobSource<FlexRestoreJob> {
  const { client } = session;
  const target = request.targetDeploymentItemName;
  return {
    list: sharedFirst((reuse) => client.listFlexRestoreJobs(groupId, name, reuse)),
    get: (id) => client.getFlexRestoreJob(groupId, name, id),
    create: () =>
      target === undefined
        ? client.downloadFlexSnapshot(groupId, name, request.snapshotId)
        : client.createFlexRestoreJob(groupId, name, {
            snapshotId: request.snapshotId,
            targetDeploymentItemName: target,
            ...(request.targetProjectId ? { targetProjectId: request.targetProjectId } : {}),
          }),
    intent: {
      snapshotId: request.snapshotId,
      deliveryType: target === undefined ? "DOWNLOAD" : "RESTORE",
      targetDeploymentItemName: target,
      targetProjectId: target === undefined ? undefined : (request.targetProjectId ?? groupId),
    },
    reported: (job) => ({
      snapshotId: job.snapshotId,
      deliveryType: job.deliveryType,
      targetDeploymentItemName: job.targetDeploymentItemName,
      targetProjectId: job.targetProjectId,
    }),
    running: (job) => flexJobStatus(job) === "RUNNING",
    createdAt: (job) => (job.restoreScheduledDate ? Date.parse(job.restoreScheduledDate) : undefined),
  };
}

/** Starts a flex restore or download at most once per intent (see {@link createAtMostOnce}). */
export function createFlexJobOnce(
  session: Session,
  context: StartContext,
  groupId: string,
  name: string,
  request: FlexRequest,
  snapshotSource: SnapshotSource,
) {
  return createAtMostOnce({
    ...context,
    clock: session.clock,
    log: session.log,
    noun: flexSpec.noun,
    decision: { snapshotId: request.snapshotId, snapshotSource },
    source: {
      ...flexJobSource(session, groupId, name, request),
      chosen: snapshotSource === "latest" ? ["snapshotId"] : [],
    },
  });
}

/**
 * The given snapshot, or the newest completed one of the flex cluster (the one an interrupted attempt
 * chose, on its rerun).
 */
export async function chooseFlexSnapshot(
  session: Session,
  groupId: string,
  name: string,
  given: string | undefined,
  context: StartContext,
): Promise<{ snapshotId: string; snapshotSource: SnapshotSource }> {
  if (given !== undefined) return { snapshotId: given, snapshotSource: "input" };
  const chosen = earlierChoice(context);
  if (chosen !== undefined) return { snapshotId: chosen, snapshotSource: "latest" };
  const newest = await latestSnapshot(session.client, "flex", groupId, name);
  if (!newest) throw new Error(`no completed snapshot to restore from flex cluster: ${name}`);
  session.log.info(`restoring the newest completed snapshot of ${name}: ${newest.id}`);
  return { snapshotId: newest.id, snapshotSource: "latest" };
}

/** The outputs of a flex restore job: the inputs, the decisions, and every API field one by one. */
export function flexOutputs(
  inputs: FlexRestoreJobInputs,
  job: FlexRestoreJob,
  snapshotSource: SnapshotSource,
): JobOutputs {
  return withoutUndefined({
    ...inputs,
    restoreJobId: job.id,
    status: flexJobStatus(job),
    atlasStatus: job.status,
    api: "flex",
    snapshotId: job.snapshotId ?? inputs.snapshotId,
    snapshotSource,
    deliveryType: job.deliveryType,
    instanceName: job.instanceName,
    projectId: job.projectId,
    targetDeploymentItemName: job.targetDeploymentItemName ?? inputs.targetDeploymentItemName,
    targetProjectId: job.targetProjectId ?? inputs.targetProjectId,
    expirationDate: job.expirationDate,
    restoreScheduledDate: job.restoreScheduledDate,
    restoreFinishedDate: job.restoreFinishedDate,
    snapshotFinishedDate: job.snapshotFinishedDate,
    snapshotUrl: job.snapshotUrl,
  });
}
