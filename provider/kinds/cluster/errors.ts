/**
 * Errors of dedicated-cluster restores, which users may catch. Each has a stable `name`; none
 * carries a credential or a download URL.
 */

/** An on-demand snapshot taken for a restore (`takeSnapshot`) failed, or was not completed in time. */
export class SnapshotNotCompletedError extends Error {
  override readonly name = "SnapshotNotCompletedError";
  constructor(
    readonly snapshotId: string,
    /** The last status seen: `failed`, or `queued`/`inProgress` when the wait ran out. */
    readonly status: string,
    hint: string,
  ) {
    super(`on-demand snapshot ${status === "failed" ? "failed" : `still ${status}`}; ${hint}: ${snapshotId}`);
  }
}

/** Destroy asked Atlas to cancel a restore job, and the job did not report `cancelled` in time. */
export class RestoreJobNotCancelledError extends Error {
  override readonly name = "RestoreJobNotCancelledError";
  constructor(
    readonly jobId: string,
    readonly waitedMs: number,
  ) {
    super(
      `restore job not cancelled after ${Math.round(waitedMs / 1000)} s; run the destroy again: ${jobId}`,
    );
  }
}
