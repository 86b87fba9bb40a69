import type { AtlasClient } from "../../atlas/client";
import { AtlasApiError } from "../../atlas/errors";
import { flaggedForecast, flexForecast } from "../../atlas/job-history";
import { sharedFirst } from "../../atlas/shared-listing";
import type { CreateServerlessRestoreJobRequest, ServerlessJobWire } from "../../atlas/wire";
import { createAtMostOnce } from "../../restore/at-most-once";
import { previousSnapshot, type SnapshotDecision, type SnapshotSource } from "../../restore/job-outputs";
import { serverlessJobStatus } from "../../restore/job-status";
import { earlierChoice } from "../../restore/journal";
import { latestSnapshot } from "../../restore/snapshot-choice";
import type {
  JobOutputs,
  JobSource,
  RestoreJobSpec,
  Session,
  StartContext,
  Started,
} from "../../restore/types";
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
    try {
      const job = await session.client.getServerlessRestoreJob(
        inputs.groupId,
        inputs.clusterName,
        previous.restoreJobId,
      );
      return serverlessOutputs(inputs, { api: "serverless", job }, decisions);
    } catch (error) {
      if (!(await serverlessApiGone(session, inputs, error))) throw error;
      return afterSunset(session, inputs, previous);
    }
  },

  target(inputs, outs) {
    if (inputs.deliveryType === "download") return undefined;
    // After the sunset's fallback the target is the Flex cluster the instance became; so it is for a
    // job recorded before the sunset that only state remembers now (see `afterSunset`).
    const api = outs.api === "flex" || outs.targetApi === "flex" ? "flex" : "serverless";
    return { api, groupId: inputs.targetGroupId, name: targetOf(inputs) };
  },
};

/**
 * A job recorded through the serverless API before the sunset, once that API no longer serves its
 * instance: read through the Flex API if Atlas kept it there; otherwise it is kept as state recorded
 * it, ended (Atlas migrated the instance long after any such restore), and never started again. Taking
 * it for gone would let `refresh` drop it and the next `up` restore into the same target again.
 */
async function afterSunset(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  previous: JobOutputs,
): Promise<JobOutputs> {
  const id = previous.restoreJobId;
  try {
    const job = await session.client.getFlexRestoreJob(inputs.groupId, inputs.clusterName, id);
    return serverlessOutputs(inputs, { api: "flex", job }, previousSnapshot(previous));
  } catch (error) {
    if (!(error instanceof AtlasApiError && error.status === 404)) throw error;
  }
  const status =
    previous.status === "RUNNING" || previous.status === undefined ? "COMPLETED" : previous.status;
  session.log.warn(
    `the serverless API no longer serves this job (its instance is a Flex cluster now), so its outcome ` +
      `cannot be read; it is kept as ${status}, and not started again: ${id}`,
  );
  return { ...previous, status, targetApi: "flex" };
}

async function startServerless(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  context: StartContext,
): Promise<Started> {
  const decisions = await chooseSnapshot(session, inputs, context);
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
    noun: serverlessSpec.noun,
    decision: decisions,
    source: {
      ...serverlessJobSource(session, inputs.groupId, inputs.clusterName, body),
      chosen: decisions.snapshotSource === "latest" ? ["snapshotId"] : [],
    },
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
  const decisions = await chooseFlexSnapshot(
    session,
    inputs.groupId,
    inputs.clusterName,
    inputs.snapshotId,
    context,
  );
  warnIfRollback(session, inputs);
  const download = inputs.deliveryType === "download";
  const { job, how, listed } = await createFlexJobOnce(
    session,
    context,
    inputs.groupId,
    inputs.clusterName,
    {
      snapshotId: decisions.snapshotId,
      ...(download
        ? {}
        : { targetDeploymentItemName: targetOf(inputs), targetProjectId: inputs.targetGroupId }),
    },
    decisions.snapshotSource,
  );
  const forecast = flexForecast(job, listed, session.clock.now());
  return {
    outs: serverlessOutputs(inputs, { api: "flex", job }, decisions),
    how,
    jobNoun: "flex restore job",
    ...(forecast ? { forecast } : {}),
  };
}

/** Whether the serverless API is gone for the source and `apiFallback` lets the Flex API serve it. */
async function serverlessApiGone(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  error: unknown,
): Promise<boolean> {
  return (
    inputs.apiFallback === "flex" &&
    (await migratedToFlex(session.client, inputs.groupId, inputs.clusterName, error))
  );
}

/**
 * Whether an error means the serverless API is gone for an instance while a Flex cluster of the same
 * name serves it (the sunset): 410 (VERSION_GONE), or a 404 for an instance. A 404 may be about
 * something else (a misspelled target), so it counts only when reading the instance answers 404 too;
 * either way the Flex cluster of the instance's name must exist.
 */
export async function migratedToFlex(
  client: AtlasClient,
  groupId: string,
  name: string,
  error: unknown,
): Promise<boolean> {
  if (!(error instanceof AtlasApiError) || !isSunsetAnswer(error)) return false;
  if (error.status === 404 && !(await notFound(() => client.getServerlessInstance(groupId, name))))
    return false;
  return !(await notFound(() => client.getFlexCluster(groupId, name)));
}

/** Whether an answer is the serverless API's own after the sunset: 410, or 404 for the instance. */
function isSunsetAnswer(error: unknown): boolean {
  if (!(error instanceof AtlasApiError)) return false;
  const instanceGone =
    error.status === 404 &&
    (error.errorCode === undefined || error.errorCode === "SERVERLESS_INSTANCE_NOT_FOUND");
  return error.status === 410 || instanceGone;
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

/**
 * The snapshot to restore: the given one, or the newest completed one for automated and download
 * restores (the one an interrupted attempt chose, on its rerun).
 */
async function chooseSnapshot(
  session: Session,
  inputs: ServerlessRestoreJobInputs,
  context: StartContext,
): Promise<SnapshotDecision> {
  if (inputs.snapshotId !== undefined) return { snapshotId: inputs.snapshotId, snapshotSource: "input" };
  if (inputs.deliveryType === "pointInTime") return { snapshotId: undefined, snapshotSource: "job" };
  const chosen = earlierChoice(context);
  if (chosen !== undefined) return { snapshotId: chosen, snapshotSource: "latest" };
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
