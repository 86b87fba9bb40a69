/** How the snapshot restored was chosen: given as input, the newest at creation, or by Atlas itself. */
export type SnapshotSource = "input" | "latest" | "job";

/** Protobuf structs cannot hold `undefined`; absent fields are simply left out of state. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** The snapshot recorded in earlier outputs and how it was chosen, kept when the job is read again. */
export function previousSnapshot(previous: Record<string, unknown>): {
  snapshotId: string | undefined;
  snapshotSource: SnapshotSource;
} {
  const source = previous.snapshotSource;
  return {
    snapshotId: typeof previous.snapshotId === "string" ? previous.snapshotId : undefined,
    snapshotSource: source === "input" || source === "latest" ? source : "job",
  };
}
