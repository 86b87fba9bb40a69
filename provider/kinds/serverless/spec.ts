import { AtlasApiError } from "../../atlas/errors";
import { flaggedForecast, flexForecast } from "../../atlas/job-history";
import { sharedFirst } from "../../atlas/shared-listing";
import type { CreateServerlessRestoreJobRequest, ServerlessJobWire } from "../../atlas/wire";
import { createAtMostOnce } from "../../restore/at-most-once";
import { previousSnapshot, type SnapshotDecision, type SnapshotSource } from "../../restore/job-outputs";
import { serverlessJobStatus } from "../../restore/job-status";
import { latestSnapshot } from "../../restore/snapshot-choice";
import type { JobSource, RestoreJobSpec, Session, StartContext, Started } from "../../restore/types";
import { chooseFlexSnapshot, createFlexJobOnce } from "../flex/spec";
import { checkServerlessInputs, serverlessDiffRules, ServerlessRestoreJobInputs } from "./inputs";
import { isRollback, serverlessOutputs, targetOf } from "./outputs";

/**
 * How a serverless restore job is started, read and recorded. Atlas sunset the serverless endpoints
 * on 2026-01-22 and migrated each instance to a Flex cluster of the same name; with `apiFallback:
 * "flex"` (the default) a restore the serverless API refuses that way goes through the Flex API, and
 * state records which API owns the job.
 */
export const serverlessSpec: RestoreJobSpec<ServerlessRestoreJobInputs> = {
  noun: "serverless restore job",
  inputs: ServerlessRestoreJobInputs,
  check: checkServerlessInputs,
  diffRules: serverlessDiffRules,
  secretOutputs: ["deliveryUrl"],

  async start(session, inputs, context) {
    try {
      return await startServerless(session, inputs, context);
    } catch (error) {
      if (!(await serverlessApiGone(session, inputs, error))) throw error;
      return startThroughFlex(session, inputs, error as AtlasApiError, context);
    }
  },

  async adopt(session, inputs, jobId) {
    const source: SnapshotSource = inputs.snapshotId ? "input" : "job";
    const decisions = { snapshotId: inputs.snapshotId, snapshotSource: source };
    try {
      const job = await session.client.getServerlessRestoreJob(inputs.groupId, inputs.clusterName, jobId);
      return serverlessOutputs(inputs, { api: "serverless", job }, decisions);
    } catch (error) {
      if (!(await serverlessApiGone(session, inputs, error))) throw error;
      const job = await session.client.getFlexRestoreJob(inputs.groupId, inputs.clusterName, jobId);
      return serverlessOutputs(inputs, { api: "flex", job }, decisions);
    }
  },

  async fetch(session, inputs, previous) {
    const decisions = previousSnapshot(previous);
    if (previous.api === "flex") {
      const job = await session.client.getFlexRestoreJob(
        inputs.groupId,
        inputs.clusterName,
        previous.restoreJobId,
      );
      return serverlessOutputs(inputs, { api: "flex", job }, decisions);
    }
    const job = await session.client.getServerlessRestoreJob(
      inputs.groupId,
      inputs.clusterName,
      previous.restoreJobId,
    );
    return serverlessOutputs(inputs, { api: "serverless", job }, decisions);
  },

  target(inputs, outs) {
    if (inputs.deliveryType === "download") return undefined;
    // After the sunset's fallback the target is the Flex cluster the instance became.
    const api = outs.api === "flex" ? "flex" : "serverless";
    return { api, groupId: inputs.targetGroupId, name: targetOf(inputs) };
  },
};

async function startServerless(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  context: StartContext,
): Promise<Started> {
  const decisions = await chooseSnapshot(session, inputs);
  warnIfRollback(session, inputs);
  const body = {
    deliveryType: inputs.deliveryType,
    targetClusterName: targetOf(inputs),
    targetGroupId: inputs.targetGroupId,
    ...(decisions.snapshotId !== undefined ? { snapshotId: decisions.snapshotId } : {}),
    ...(inputs.pointInTimeUTCSeconds !== undefined
      ? { pointInTimeUTCSeconds: inputs.pointInTimeUTCSeconds }
      : {}),
    ...(inputs.oplogTs !== undefined ? { oplogTs: inputs.oplogTs, oplogInc: inputs.oplogInc } : {}),
  };
  const { job, how, listed } = await createAtMostOnce({
    ...context,
    clock: session.clock,
    log: session.log,
    source: serverlessJobSource(session, inputs.groupId, inputs.clusterName, body),
  });
  const forecast = flaggedForecast(job, listed, session.clock.now());
  return {
    outs: serverlessOutputs(inputs, { api: "serverless", job }, decisions),
    how,
    ...(forecast ? { forecast } : {}),
  };
}

/**
 * The serverless job source. A serverless job says nothing of when it was created, so a job that
 * already finished cannot be told from an older one of the same intent; the point in time is
 * compared through `desiredTimestamp` when the job does not echo the request's fields.
 */
export function serverlessJobSource(
  session: Session,
  groupId: string,
  clusterName: string,
  body: CreateServerlessRestoreJobRequest,
): JobSource<ServerlessJobWire> {
  const { client } = session;
  return {
    list: sharedFirst((reuse) => client.listServerlessRestoreJobs(groupId, clusterName, reuse)),
    get: (id) => client.getServerlessRestoreJob(groupId, clusterName, id),
    create: () => client.createServerlessRestoreJob(groupId, clusterName, body),
    intent: body as unknown as Record<string, unknown>,
    reported: (job) => {
      const moment = job.desiredTimestamp?.date ? Date.parse(job.desiredTimestamp.date) / 1000 : undefined;
      return {
        deliveryType: job.deliveryType,
        targetClusterName: job.targetClusterName,
        targetGroupId: job.targetGroupId,
        snapshotId: job.snapshotId,
        pointInTimeUTCSeconds: job.pointInTimeUTCSeconds ?? moment,
        oplogTs: job.oplogTs ?? moment,
        // Atlas's desiredTimestamp.increment is the oplog increment; only the echoed field is trusted
        // here, since the OpenAPI's minimum for it makes some servers put seconds there.
        oplogInc: job.oplogInc,
      };
    },
    running: (job) => serverlessJobStatus(job) === "RUNNING",
  };
}

/** Starts the equivalent restore through the Flex API: `automated` → RESTORE, `download` → download. */
async function startThroughFlex(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  gone: AtlasApiError,
  context: StartContext,
): Promise<Started> {
  const answer = `${gone.status}${gone.errorCode ? ` ${gone.errorCode}` : ""}`;
  if (inputs.deliveryType === "pointInTime") {
    throw new Error(
      `the serverless restore API answered ${answer} and pointInTime restores have no Flex equivalent: ${inputs.clusterName}`,
    );
  }
  session.log.warn(
    `the serverless restore API answered ${answer}; restoring through the Flex API instead ` +
      `(FlexRestoreJob is the migration path): ${inputs.clusterName}`,
  );
  const decisions = await chooseFlexSnapshot(session, inputs.groupId, inputs.clusterName, inputs.snapshotId);
  warnIfRollback(session, inputs);
  const download = inputs.deliveryType === "download";
  const { job, how, listed } = await createFlexJobOnce(session, context, inputs.groupId, inputs.clusterName, {
    snapshotId: decisions.snapshotId,
    ...(download
      ? {}
      : { targetDeploymentItemName: targetOf(inputs), targetProjectId: inputs.targetGroupId }),
  });
  const forecast = flexForecast(job, listed, session.clock.now());
  return {
    outs: serverlessOutputs(inputs, { api: "flex", job }, decisions),
    how,
    jobNoun: "flex restore job",
    ...(forecast ? { forecast } : {}),
  };
}

/**
 * Whether an error means the serverless API is gone for the source while a Flex cluster of the same
 * name serves it: 410 (VERSION_GONE), or a 404 for an instance. A 404 may be about the target (a
 * misspelled `targetClusterName`), so it counts only when reading the source instance answers 404
 * too; either way the Flex cluster of the source's name must exist.
 */
async function serverlessApiGone(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  error: unknown,
): Promise<boolean> {
  if (inputs.apiFallback !== "flex" || !(error instanceof AtlasApiError)) return false;
  const instanceGone =
    error.status === 404 &&
    (error.errorCode === undefined || error.errorCode === "SERVERLESS_INSTANCE_NOT_FOUND");
  if (error.status !== 410 && !instanceGone) return false;
  if (
    error.status === 404 &&
    !(await notFound(() => session.client.getServerlessInstance(inputs.groupId, inputs.clusterName)))
  )
    return false;
  return !(await notFound(() => session.client.getFlexCluster(inputs.groupId, inputs.clusterName)));
}

/** Whether a read answers 404; other failures are thrown. */
async function notFound(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if (error instanceof AtlasApiError && (error.status === 404 || error.status === 410)) return true;
    throw error;
  }
}

/** The snapshot to restore: the given one, or the newest completed one for automated and download restores. */
async function chooseSnapshot(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
): Promise<SnapshotDecision> {
  if (inputs.snapshotId !== undefined) return { snapshotId: inputs.snapshotId, snapshotSource: "input" };
  if (inputs.deliveryType === "pointInTime") return { snapshotId: undefined, snapshotSource: "job" };
  const newest = await latestSnapshot(session.client, "serverless", inputs.groupId, inputs.clusterName);
  if (!newest)
    throw new Error(`no completed snapshot to restore from serverless instance: ${inputs.clusterName}`);
  session.log.info(`restoring the newest completed snapshot of ${inputs.clusterName}: ${newest.id}`);
  return { snapshotId: newest.id, snapshotSource: "latest" };
}

function warnIfRollback(session: Session, inputs: ServerlessRestoreJobInputs): void {
  if (inputs.deliveryType !== "download" && isRollback(inputs)) {
    session.log.warn(
      `restoring into the source instance itself; its current data will be replaced: ${inputs.clusterName}`,
    );
  }
}
