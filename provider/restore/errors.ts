/**
 * Errors of a restore's lifecycle, which users may catch. Each has a stable `name`; none carries a
 * credential, a token or a download URL.
 */

/** A restore job reached a terminal state other than completed. */
export class RestoreJobFailedError extends Error {
  override readonly name = "RestoreJobFailedError";
  constructor(
    readonly jobId: string,
    /** The terminal status, e.g. `FAILED`, `CANCELLED` or `EXPIRED`. */
    readonly status: string,
  ) {
    super(`restore job ended ${status}: ${jobId}`);
  }
}

/** Waiting for a restore job ran past its deadline. */
export class PollTimeoutError extends Error {
  override readonly name = "PollTimeoutError";
  constructor(
    readonly jobId: string,
    readonly waitedMs: number,
  ) {
    super(`restore job still running after ${Math.round(waitedMs / 1000)} s: ${jobId}`);
  }
}

/** Waiting for a restore job was cancelled through its abort signal. */
export class PollAbortedError extends Error {
  override readonly name = "PollAbortedError";
  constructor(readonly jobId: string) {
    super(`stopped waiting for restore job: ${jobId}`);
  }
}

/**
 * A restore job exists in Atlas but did not reach COMPLETED during this step. The dynamic-provider
 * host reads `id` and `properties` from a thrown error and records them as partial state, so the job
 * is never orphaned and the next `pulumi up` resumes it (see `grpcResponseFromError` in
 * `@pulumi/pulumi/cmd/dynamic-provider`).
 */
export class RestoreJobIncompleteError extends Error {
  override readonly name = "RestoreJobIncompleteError";
  /** The reasons the engine shows next to the recorded resource. */
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: Error,
    hint: string,
  ) {
    super(`${cause.message}; ${hint}`, { cause });
    this.reasons = [this.message];
  }
}

/** A restore completed, but its target did not become usable (IDLE) in time. */
export class TargetNotReadyError extends Error {
  override readonly name = "TargetNotReadyError";
  constructor(
    readonly target: string,
    /** The last `stateName` seen, e.g. `UPDATING`. */
    readonly stateName: string,
    readonly waitedMs: number,
  ) {
    super(`restore target still ${stateName} after ${Math.round(waitedMs / 1000)} s: ${target}`);
  }
}
