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

/** When a snapshot is deleted by its retention. */
export function snapshotExpiresAt(snapshot: Pick<SeedSnapshot, "createdAt">): number {
  return Date.parse(snapshot.createdAt) + SNAPSHOT_RETENTION_MS;
}

/** Whether a snapshot still exists at `now` (its retention has not run out). */
export function isRetained(snapshot: Pick<SeedSnapshot, "createdAt">, now: number): boolean {
  return snapshotExpiresAt(snapshot) > now;
}
