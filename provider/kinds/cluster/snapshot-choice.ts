import type { AtlasClient } from "../../atlas/client";
import { SHARED } from "../../atlas/shared-listing";
import { completedServerlessSnapshots, type CompletedSnapshot } from "../../restore/snapshot-choice";

/**
 * The newest completed snapshot of a dedicated cluster; undefined when there is none. Dedicated
 * snapshots share the serverless reading of "newest completed": `createdAt` and a lower-case status,
 * and their listing is shared as `latestSnapshot`'s is.
 */
export async function latestClusterSnapshot(
  client: AtlasClient,
  groupId: string,
  clusterName: string,
): Promise<CompletedSnapshot | undefined> {
  return completedServerlessSnapshots(await client.listClusterSnapshots(groupId, clusterName, SHARED))[0];
}
