import type { ClusterSnapshot } from "../../atlas/cluster-wire";
import { createAtMostOnce, isTransient } from "../../restore/at-most-once";
import { intentKey, unexpired } from "../../restore/journal";
import type { Session } from "../../restore/types";
import { pollUntil } from "../../waiting/poll";
import { SnapshotNotCompletedError } from "./errors";
import type { ClusterRestoreJobInputs, TakeSnapshot } from "./inputs";

/**
 * Restoring "production as it is now": an on-demand snapshot of the source, taken at most once per
 * intent and waited for until `completed`, so that the restore uses exactly that snapshot.
 */

/** The journal key of the snapshot taken for one restore intent (a `triggers` change is a new intent). */
export function snapshotIntentKey(inputs: ClusterRestoreJobInputs): string {
  return intentKey("cluster on-demand snapshot", {
    groupId: inputs.groupId,
    clusterName: inputs.clusterName,
    deliveryType: inputs.deliveryType,
    targetClusterName: inputs.targetClusterName,
    targetGroupId: inputs.targetGroupId,
    takeSnapshot: inputs.takeSnapshot,
    triggers: inputs.triggers,
  });
}

/**
 * The description the snapshot is taken with. It also recognises the snapshot when the answer to the
 * POST was lost, so by default it names the restore it serves.
 */
export function snapshotDescription(inputs: ClusterRestoreJobInputs, options: TakeSnapshot): string {
  if (options.description !== undefined) return options.description;
  return inputs.deliveryType === "download"
    ? `pulumi-atlas-restore: for a download of ${inputs.clusterName}`
    : `pulumi-atlas-restore: for a restore into ${inputs.targetGroupId}/${inputs.targetClusterName}`;
}

/**
 * Takes the snapshot (or adopts the one an interrupted run of the same intent took, or a matching one
 * still being taken) and waits until it is completed. Returns its id.
 */
export async function takeFreshSnapshot(
  session: Session,
  inputs: ClusterRestoreJobInputs,
  options: TakeSnapshot,
  waitMs: number,
): Promise<string> {
  const { client, journal, log } = session;
  const key = snapshotIntentKey(inputs);
  const description = snapshotDescription(inputs, options);
  const { job: snapshot } = await createAtMostOnce<ClusterSnapshot>({
    pending: unexpired(journal.get(key), session.clock.now()),
    remember: (intent) => journal.put(key, intent),
    forget: () => journal.delete(key),
    clock: session.clock,
    log,
    noun: "snapshot",
    unrecorded: "adoptRunning",
    source: {
      list: () => client.listClusterSnapshots(inputs.groupId, inputs.clusterName),
      get: (id) => client.getClusterSnapshot(inputs.groupId, inputs.clusterName, id),
      create: () =>
        client.takeClusterSnapshot(inputs.groupId, inputs.clusterName, {
          description,
          ...(options.retentionInDays !== undefined ? { retentionInDays: options.retentionInDays } : {}),
        }),
      // The description names the restore it serves, so an on-demand snapshot with it is this intent's.
      intent: { snapshotType: "onDemand", description },
      reported: (s) => ({ snapshotType: s.snapshotType, description: s.description }),
      running: (s) => s.status === "queued" || s.status === "inProgress",
      createdAt: (s) => (s.createdAt ? Date.parse(s.createdAt) : undefined),
    },
  });
  log.info(`on-demand snapshot of ${inputs.clusterName} taken, waiting for it to complete: ${snapshot.id}`);
  if (snapshot.status === "completed") return snapshot.id;

  const read = () =>
    snapshot.type === "shardedCluster"
      ? client.getShardedClusterSnapshot(inputs.groupId, inputs.clusterName, snapshot.id)
      : client.getClusterSnapshot(inputs.groupId, inputs.clusterName, snapshot.id);
  let last = snapshot;
  const result = await pollUntil({
    check: async () => {
      try {
        last = await read();
      } catch (error) {
        if (!isTransient(error)) throw error;
        log.info(
          `could not read on-demand snapshot ${snapshot.id}, trying again: ${(error as Error).message}`,
        );
      }
      return last;
    },
    classify: (s) => (s.status === "completed" ? "SUCCESS" : s.status === "failed" ? "FAILURE" : "RETRY"),
    clock: session.clock,
    minDelayMs: session.poll.minDelayMs,
    maxDelayMs: session.poll.maxDelayMs,
    maxWaitMs: waitMs,
    checkFirst: false,
  });
  if (result.state === "SUCCESS") {
    log.info(`on-demand snapshot completed: ${snapshot.id}`);
    return snapshot.id;
  }
  const status = last.status ?? "unknown";
  // A failed snapshot must not be adopted again: the next run takes a new one.
  if (status === "failed") journal.delete(key);
  throw new SnapshotNotCompletedError(
    snapshot.id,
    status,
    status === "failed"
      ? "no restore was started; run `pulumi up` again to take another"
      : "no restore was started yet; run `pulumi up` again to keep waiting for this snapshot",
  );
}
