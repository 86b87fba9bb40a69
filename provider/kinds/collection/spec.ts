import type {
  CollectionRestoreJob,
  CreateCollectionRestoreJobRequest,
  RestoreNamespace,
} from "../../atlas/collection-wire";
import { AtlasApiError } from "../../atlas/errors";
import { collectionForecast } from "../../atlas/job-history";
import { SHARED, sharedFirst } from "../../atlas/shared-listing";
import { createAtMostOnce } from "../../restore/at-most-once";
import type { SnapshotSource } from "../../restore/job-outputs";
import { earlierChoice } from "../../restore/journal";
import { completedServerlessSnapshots } from "../../restore/snapshot-choice";
import type {
  JobOutputs,
  JobSource,
  RestoreJobSpec,
  Session,
  StartContext,
  Started,
} from "../../restore/types";
import { CollectionRestoreBusyError } from "./errors";
import {
  checkCollectionInputs,
  collectionDiffRules,
  CollectionRestoreJobInputs,
  type NamespaceEntry,
} from "./inputs";
import { collectionJobStatus, collectionOutputs, NOUN, progressLine } from "./outputs";
import { inTurn } from "./queue";

/** How a collection-level restore job is started, read and recorded. */
export const collectionSpec: RestoreJobSpec<CollectionRestoreJobInputs> = {
  noun: NOUN,
  inputs: CollectionRestoreJobInputs,
  check: checkCollectionInputs,
  diffRules: collectionDiffRules,
  secretOutputs: [],

  start: startCollectionRestore,

  async adopt(session, inputs, jobId) {
    const job = await session.client.getCollectionRestoreJob(inputs.groupId, inputs.clusterName, jobId);
    return collectionOutputs(inputs, job, inputs.snapshotId ? "input" : "job");
  },

  // One read of the job, never of its collections: the record reads those once per job.
  async fetch(session, inputs, previous) {
    const job = await session.client.getCollectionRestoreJob(
      inputs.groupId,
      inputs.clusterName,
      previous.restoreJobId,
    );
    const chosen = previous.snapshotSource;
    const outs = collectionOutputs(inputs, job, chosen === "input" || chosen === "latest" ? chosen : "job");
    // A running job's progress is always worth a line; its end only once, when a read first sees it
    // (state may hold no status yet, as when a job id alone is handed over), so a refresh is quiet.
    if (outs.status === "RUNNING" || previous.status !== outs.status) reportProgress(session, outs);
    return outs;
  },

  target: (inputs) => ({ api: "cluster", groupId: inputs.targetGroupId, name: inputs.targetClusterName }),
};

/**
 * Prints documents restored while the job runs, and how it ended; the collections not restored are
 * named by the record, which reads them (see `collectionCompletion`).
 */
function reportProgress(session: Session, outs: JobOutputs): void {
  if (outs.status === "RUNNING") return session.log.info(progressLine(NOUN, outs));
  if (outs.errorMessage)
    session.log.warn(`${NOUN} ${outs.restoreJobId} ended ${outs.state}: ${outs.errorMessage}`);
  session.log.info(progressLine(NOUN, outs));
}

/**
 * Creates the job at most once per intent. Atlas runs one collection restore per cluster at a time
 * (409 for a second): a running one is waited for, within `waitTimeoutSeconds`, before each POST, and
 * a 409 (a job started between the listing and the POST, perhaps the one an unclear POST of this
 * attempt started) only sends the attempt back to looking and waiting.
 */
async function startCollectionRestore(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  context: StartContext,
): Promise<Started> {
  const { snapshotId, snapshotSource } = await chooseSnapshot(session, inputs, context);
  const body = requestOf(inputs, snapshotId);
  const source = collectionJobSource(session, inputs, body);
  const deadline = session.clock.now() + inputs.waitTimeoutSeconds * 1000;
  return inTurn(session, inputs, async (turn) => {
    const { job, how, listed } = await createAtMostOnce({
      ...context,
      clock: session.clock,
      log: session.log,
      noun: NOUN,
      decision: { snapshotId, snapshotSource },
      source: {
        ...source,
        chosen: snapshotSource === "latest" ? ["snapshotId"] : [],
        // By the time a POST is due, no running job is this restore's own: each one is waited for.
        waitForTurn: async () => {
          // Past the deadline, a POST Atlas keeps refusing (409) with no job listed is not sent again.
          if (session.clock.now() > deadline)
            throw new CollectionRestoreBusyError(
              inputs.clusterName,
              "none listed",
              inputs.waitTimeoutSeconds * 1000,
            );
          await turn.waitForCluster(source, () => false, deadline);
        },
        busy: isBusy,
      },
    });
    turn.started(job);
    const forecast = collectionForecast(job, listed, session.clock.now());
    return {
      outs: collectionOutputs(inputs, job, snapshotSource),
      how,
      ...(forecast ? { forecast } : {}),
    };
  });
}

/** Whether Atlas refused the POST because a collection restore already runs on the cluster. */
export function isBusy(error: unknown): boolean {
  return error instanceof AtlasApiError && error.status === 409;
}

/**
 * The snapshot given, none for a point in time (Atlas picks it), or the newest completed one (the one
 * an interrupted attempt chose, on its rerun).
 */
async function chooseSnapshot(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  context: StartContext,
): Promise<{ snapshotId: string | undefined; snapshotSource: SnapshotSource }> {
  if (inputs.snapshotId !== undefined) return { snapshotId: inputs.snapshotId, snapshotSource: "input" };
  if (inputs.pointInTimeUtcSeconds !== undefined || inputs.oplogTs !== undefined)
    return { snapshotId: undefined, snapshotSource: "job" };
  const chosen = earlierChoice(context);
  if (chosen !== undefined) return { snapshotId: chosen, snapshotSource: "latest" };
  const snapshots = await session.client.listClusterSnapshots(inputs.groupId, inputs.clusterName, SHARED);
  const newest = completedServerlessSnapshots(snapshots)[0];
  if (!newest)
    throw new Error(`no completed snapshot to restore collections from cluster: ${inputs.clusterName}`);
  session.log.info(
    `restoring collections from the newest completed snapshot of ${inputs.clusterName}: ${newest.id}`,
  );
  return { snapshotId: newest.id, snapshotSource: "latest" };
}

/** The POST body: only the fields given (Atlas fills in the rest). */
export function requestOf(
  inputs: CollectionRestoreJobInputs,
  snapshotId: string | undefined,
): CreateCollectionRestoreJobRequest {
  const body: CreateCollectionRestoreJobRequest = {
    writeStrategy: inputs.writeStrategy,
    indexStrategy: inputs.indexStrategy,
    targetClusterName: inputs.targetClusterName,
    targetGroupId: inputs.targetGroupId,
  };
  if (inputs.databases?.length) body.databases = inputs.databases.map(namespaceOf);
  if (inputs.collections?.length) body.collections = inputs.collections.map(namespaceOf);
  if (inputs.databaseSuffix) body.databaseSuffix = inputs.databaseSuffix;
  if (inputs.collectionSuffix) body.collectionSuffix = inputs.collectionSuffix;
  if (snapshotId !== undefined) body.snapshotId = snapshotId;
  if (inputs.pointInTimeUtcSeconds !== undefined) body.pointInTimeUtcSeconds = inputs.pointInTimeUtcSeconds;
  if (inputs.oplogTs !== undefined) body.oplogTs = inputs.oplogTs;
  if (inputs.oplogInc !== undefined) body.oplogInc = inputs.oplogInc;
  return body;
}

function namespaceOf(entry: NamespaceEntry): { sourceNamespace: string; targetNamespace?: string } {
  return entry.targetNamespace === undefined
    ? { sourceNamespace: entry.sourceNamespace }
    : { sourceNamespace: entry.sourceNamespace, targetNamespace: entry.targetNamespace };
}

/** The source cluster's collection restore jobs as the at-most-once path sees them. */
export type CollectionJobSource = JobSource<CollectionRestoreJob> & {
  createdAt(job: CollectionRestoreJob): number | undefined;
};

/** Builds the {@link CollectionJobSource} of one POST. */
export function collectionJobSource(
  session: Session,
  inputs: CollectionRestoreJobInputs,
  body: CreateCollectionRestoreJobRequest,
): CollectionJobSource {
  const { client } = session;
  const { groupId, clusterName } = inputs;
  // Atlas answers `""` for an omitted suffix and `[]` for an omitted list, and may fill in a target
  // namespace the POST left out; those are compared as Atlas normalises them.
  const wantedTarget = new Map(
    [...(body.databases ?? []), ...(body.collections ?? [])].map((n) => [
      n.sourceNamespace,
      n.targetNamespace,
    ]),
  );
  const namespaces = (list: readonly RestoreNamespace[] | null | undefined) =>
    (list ?? [])
      .map((n) =>
        wantedTarget.get(n.sourceNamespace) === undefined
          ? n.sourceNamespace
          : `${n.sourceNamespace}=>${n.targetNamespace ?? n.sourceNamespace}`,
      )
      .sort();
  const fields = (
    job: CreateCollectionRestoreJobRequest | CollectionRestoreJob,
  ): Record<string, unknown> => ({
    targetClusterName: job.targetClusterName ?? undefined,
    targetGroupId: job.targetGroupId ?? undefined,
    writeStrategy: job.writeStrategy ?? undefined,
    indexStrategy: job.indexStrategy ?? undefined,
    databases: namespaces(job.databases),
    collections: namespaces(job.collections),
    databaseSuffix: job.databaseSuffix ?? "",
    collectionSuffix: job.collectionSuffix ?? "",
    snapshotId: job.snapshotId ?? undefined,
    pointInTimeUtcSeconds: job.pointInTimeUtcSeconds ?? undefined,
    oplogTs: job.oplogTs ?? undefined,
    oplogInc: job.oplogInc ?? undefined,
  });
  return {
    list: sharedFirst((reuse) => client.listCollectionRestoreJobs(groupId, clusterName, reuse)),
    get: (id) => client.getCollectionRestoreJob(groupId, clusterName, id),
    create: () => client.createCollectionRestoreJob(groupId, clusterName, body),
    intent: fields(body),
    reported: fields,
    running: (job) => collectionJobStatus(job) === "RUNNING",
    createdAt: (job) => (job.createdAt ? Date.parse(job.createdAt) : undefined),
  };
}
