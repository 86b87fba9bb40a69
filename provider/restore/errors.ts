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
 * A restore job exists in Atlas, but the restore is not done: the job failed or was cancelled, the wait
 * timed out or could not read it, or the target did not become usable. Thrown by the restore's record,
 * it carries `id` and `properties`, so Pulumi records the restore with what the wait saw (secrets left
 * out) and marks it as not done; the next `pulumi up` resumes the same job. The message ends with what
 * to do.
 */
export class RestoreJobIncompleteError extends Error {
  override readonly name = "RestoreJobIncompleteError";
  /** The message, which Pulumi keeps in state beside the record (its `initErrors`). */
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    message: string,
  ) {
    super(message);
    this.reasons = [message];
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

/**
 * Atlas refused to start a restore because an input names something it does not have (a typo in a
 * target's name or project): told by the input's name, since Atlas's message points at its API.
 */
export class InputNotFoundError extends Error {
  override readonly name = "InputNotFoundError";
  constructor(
    /** The input whose value Atlas does not know, e.g. `targetClusterName`. */
    readonly property: string,
    value: string,
    /** Atlas's error code, e.g. `CLUSTER_NOT_FOUND`. */
    readonly errorCode: string,
    cause: Error,
  ) {
    super(
      `${property} names nothing Atlas has (404 ${errorCode}); check its spelling and project: ${value}`,
      {
        cause,
      },
    );
  }
}
