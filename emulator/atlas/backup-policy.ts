import type { SeedSnapshot } from "../seed";

// How long Atlas keeps what a backup policy produces. Numbers from the Atlas documentation; the
// emulator's seed has no policy of its own.

/** How long a scheduled snapshot is kept (the daily snapshots of the default policy: 30 days). */
export const SNAPSHOT_RETENTION_MS = 30 * 86_400_000;

/**
 * How far back a point-in-time restore may go. Serverless: "restore … from any point in time within
 * the last 72 hours" (Atlas docs, serverless instance backups: Serverless Continuous Backup). Flex
 * clusters take no point-in-time restores at all.
 */
export const RESTORE_WINDOW_MS = { serverless: 72 * 3_600_000 } as const;

/**
 * How far back a dedicated cluster's point-in-time restore may go: the restore window of its backup
 * policy, 7 days unless changed (Atlas docs, Continuous Cloud Backup: "Restore Window", 7 days by
 * default). The seed has no policy, so every dedicated cluster has the default.
 */
export const CLUSTER_RESTORE_WINDOW_MS = 7 * 86_400_000;

/** When a snapshot is deleted by its retention. */
export function snapshotExpiresAt(snapshot: Pick<SeedSnapshot, "createdAt" | "retentionDays">): number {
  return (
    Date.parse(snapshot.createdAt) +
    (snapshot.retentionDays === undefined ? SNAPSHOT_RETENTION_MS : snapshot.retentionDays * 86_400_000)
  );
}

/** Whether a snapshot still exists at `now` (its retention has not run out). */
export function isRetained(
  snapshot: Pick<SeedSnapshot, "createdAt" | "retentionDays">,
  now: number,
): boolean {
  return snapshotExpiresAt(snapshot) > now;
}
