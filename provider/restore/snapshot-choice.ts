import type { AtlasClient } from "../atlas/client";
import { SHARED } from "../atlas/shared-listing";
import type { BackupSnapshot, FlexSnapshot } from "../atlas/wire";

/**
 * Choosing snapshots. Serverless snapshots carry `createdAt` and a lower-case status; flex snapshots
 * carry `finishTime` and an upper-case status, so each API has its own reading of "newest completed".
 */

/** A completed snapshot, whichever API it came from. */
export interface CompletedSnapshot {
  readonly id: string;
  /** When it was taken (serverless `createdAt`, flex `finishTime` or `startTime`), ISO 8601. */
  readonly takenAt: string | undefined;
}

/** Completed serverless snapshots, newest first. */
export function completedServerlessSnapshots(snapshots: readonly BackupSnapshot[]): CompletedSnapshot[] {
  return newestFirst(
    snapshots.filter((s) => s.status === "completed").map((s) => ({ id: s.id, takenAt: s.createdAt })),
  );
}

/** Completed flex snapshots, newest first. */
export function completedFlexSnapshots(snapshots: readonly FlexSnapshot[]): CompletedSnapshot[] {
  return newestFirst(
    snapshots
      .filter((s) => s.status === "COMPLETED")
      .map((s) => ({ id: s.id, takenAt: s.finishTime ?? s.startTime ?? s.scheduledTime })),
  );
}

/**
 * The newest completed snapshot of a serverless instance or flex cluster; undefined when there is none.
 * Its listing is shared (see `shared-listing.ts`): restores of one source started together list its
 * snapshots once, and a snapshot taken in the last 30 s may be missed, as one taken during the
 * listing's round trip always could be.
 */
export async function latestSnapshot(
  client: AtlasClient,
  api: "serverless" | "flex",
  groupId: string,
  clusterName: string,
): Promise<CompletedSnapshot | undefined> {
  const completed =
    api === "serverless"
      ? completedServerlessSnapshots(await client.listServerlessSnapshots(groupId, clusterName, SHARED))
      : completedFlexSnapshots(await client.listFlexSnapshots(groupId, clusterName, SHARED));
  return completed[0];
}

function newestFirst(snapshots: CompletedSnapshot[]): CompletedSnapshot[] {
  const time = (s: CompletedSnapshot) => Date.parse(s.takenAt ?? "") || 0;
  return [...snapshots].sort((a, b) => time(b) - time(a));
}
