import * as pulumi from "@pulumi/pulumi";

import type { ClusterSnapshot } from "../atlas/cluster-wire";
import { latestClusterSnapshot } from "../kinds/cluster/snapshot-choice";
import type { CompletedSnapshot } from "../restore/snapshot-choice";
import { lookUp, lookUpNewest, type SnapshotLookupArgs } from "./snapshot-lookups";

/**
 * Snapshot look-ups for dedicated clusters, run in the program with the provider's credential rules
 * (stack config first, then the environment) and its one-line errors (`SnapshotLookupError`). Passing `getLatestClusterSnapshotOutput(...).id` as a
 * `ClusterRestoreJob`'s `snapshotId` restores again whenever a newer snapshot exists.
 */

/** Every snapshot of a dedicated cluster (all pages), whatever its status. */
export async function getClusterSnapshots(args: SnapshotLookupArgs): Promise<ClusterSnapshot[]> {
  return lookUp(`the snapshots of ${described(args)}`, (client) =>
    client.listClusterSnapshots(args.groupId, args.clusterName),
  );
}

/** The newest completed snapshot of a dedicated cluster. Rejects when there is none. */
export async function getLatestClusterSnapshot(args: SnapshotLookupArgs): Promise<CompletedSnapshot> {
  return lookUpNewest(described(args), (client) =>
    latestClusterSnapshot(client, args.groupId, args.clusterName),
  );
}

function described(args: SnapshotLookupArgs): string {
  return `cluster ${args.clusterName} in project ${args.groupId}`;
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
