import * as pulumi from "@pulumi/pulumi";

import type { ClusterSnapshot } from "../atlas/cluster-wire";
import { latestClusterSnapshot } from "../kinds/cluster/snapshot-choice";
import type { CompletedSnapshot } from "../restore/snapshot-choice";
import { programSession, type SnapshotLookupArgs } from "./snapshot-lookups";

/**
 * Snapshot look-ups for dedicated clusters, run in the program with the provider's credential rules
 * (stack config first, then the environment). Passing `getLatestClusterSnapshotOutput(...).id` as a
 * `ClusterRestoreJob`'s `snapshotId` restores again whenever a newer snapshot exists.
 */

/** Every snapshot of a dedicated cluster (all pages), whatever its status. */
export async function getClusterSnapshots(args: SnapshotLookupArgs): Promise<ClusterSnapshot[]> {
  return programSession().client.listClusterSnapshots(args.groupId, args.clusterName);
}

/** The newest completed snapshot of a dedicated cluster. Rejects when there is none. */
export async function getLatestClusterSnapshot(args: SnapshotLookupArgs): Promise<CompletedSnapshot> {
  const newest = await latestClusterSnapshot(programSession().client, args.groupId, args.clusterName);
  if (!newest)
    throw new Error(`no completed snapshot of cluster ${args.clusterName} in project ${args.groupId}`);
  return newest;
}

/** {@link getClusterSnapshots} for `Input` arguments. */
export function getClusterSnapshotsOutput(
  args: pulumi.Input<SnapshotLookupArgs>,
): pulumi.Output<ClusterSnapshot[]> {
  return pulumi.output(args).apply((a) => getClusterSnapshots(a));
}

/** {@link getLatestClusterSnapshot} for `Input` arguments. */
export function getLatestClusterSnapshotOutput(
  args: pulumi.Input<SnapshotLookupArgs>,
): pulumi.Output<CompletedSnapshot> {
  return pulumi.output(args).apply((a) => getLatestClusterSnapshot(a));
}
