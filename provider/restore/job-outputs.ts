import type { FlaggedJob } from "../atlas/wire";

/** How the snapshot restored was chosen: given as input, the newest at creation, or by Atlas itself. */
export type SnapshotSource = "input" | "latest" | "job";

/** The snapshot the provider decided to restore, kept in state beside the API's fields. */
export interface SnapshotDecision<Source extends string = SnapshotSource> {
  readonly snapshotId: string | undefined;
  readonly snapshotSource: Source;
}

/** Protobuf structs cannot hold `undefined`; absent fields are simply left out of state. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** The snapshot recorded in earlier outputs and how it was chosen, kept when the job is read again. */
export function previousSnapshot(previous: Record<string, unknown>): SnapshotDecision {
  const source = previous.snapshotSource;
  return {
    snapshotId: typeof previous.snapshotId === "string" ? previous.snapshotId : undefined,
    snapshotSource: source === "input" || source === "latest" ? source : "job",
  };
}

/**
 * The outputs of a serverless or dedicated job's flags, dates and links, one by one: an absent flag
 * is false, absent links are none.
 */
export function flaggedJobOutputs(job: FlaggedJob) {
  return {
    failed: job.failed ?? false,
    cancelled: job.cancelled ?? false,
    expired: job.expired ?? false,
    finishedAt: job.finishedAt,
    expiresAt: job.expiresAt,
    timestamp: job.timestamp,
    deliveryUrl: job.deliveryUrl ?? [],
  };
}
