/**
 * Errors of collection-level restores, which users may catch. Each has a stable `name`; none carries
 * a credential.
 */

/** Another collection restore kept running on the source cluster for the whole wait. */
export class CollectionRestoreBusyError extends Error {
  override readonly name = "CollectionRestoreBusyError";
  constructor(
    readonly clusterName: string,
    /** The job that was running. */
    readonly runningJobId: string,
    readonly waitedMs: number,
  ) {
    super(
      `Atlas runs one collection restore per cluster at a time, and another one on ${clusterName} ` +
        `was still running after ${Math.round(waitedMs / 1000)} s; run \`pulumi up\` again once it ends: ${runningJobId}`,
    );
  }
}

/** A collection restore ended, but not every collection was restored (see `allowPartial`). */
export class CollectionRestoreIncompleteError extends Error {
  override readonly name = "CollectionRestoreIncompleteError";
  constructor(
    readonly jobId: string,
    /** The job's state, e.g. `SUCCESSFUL` for a partial success or `FAILED`. */
    readonly state: string,
    /** The collections not restored, as `orders.audit (INDEX_BUILD_FAILED)`. */
    readonly collections: readonly string[],
    /** Atlas's `errorMessage`, when it gave one. */
    readonly errorMessage?: string,
  ) {
    const why = errorMessage ? ` (${errorMessage})` : "";
    const which = collections.length > 0 ? `, not restored: ${collections.join(", ")}` : "";
    super(`collection restore job ended ${state}${why}${which}; job: ${jobId}`);
  }
}
