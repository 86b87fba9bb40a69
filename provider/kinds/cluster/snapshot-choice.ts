import type { AtlasClient } from "../../atlas/client";
import { completedServerlessSnapshots, type CompletedSnapshot } from "../../restore/snapshot-choice";

/**
 * The newest completed snapshot of a dedicated cluster; undefined when there is none. Dedicated
 * snapshots share the serverless reading of "newest completed": `createdAt` and a lower-case status.
 */
export async function latestClusterSnapshot(
  client: AtlasClient,
  groupId: string,
  clusterName: string,
): Promise<CompletedSnapshot | undefined> {
  return completedServerlessSnapshots(await client.listClusterSnapshots(groupId, clusterName))[0];
}
