/**
 * The errors users may catch. Each has a stable `name`; none carries a credential, a token, a
 * download URL or an HTTP client's request config (which holds the Authorization header).
 */

/** What is known of a failed Atlas API call. */
export interface AtlasApiErrorDetails {
  /** HTTP status, absent when no answer came back (network error, timeout). */
  readonly status?: number;
  readonly method: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Atlas's application error code, e.g. `SERVERLESS_INSTANCE_NOT_FOUND`. */
  readonly errorCode?: string;
  /** Atlas's human-readable explanation. */
  readonly detail?: string;
  /** The network error code when no answer came back, e.g. `ECONNRESET`. */
  readonly networkCode?: string;
  /** Seconds the API asked us to wait (429 `Retry-After`). */
  readonly retryAfterSeconds?: number;
  /** The original failure, reduced to its message so that nothing secret travels with it. */
  readonly cause?: Error;
}

/** An Atlas Admin API call failed: an error answer, or no answer at all. */
export class AtlasApiError extends Error {
  override readonly name = "AtlasApiError";
  readonly status?: number;
  readonly method: string;
  readonly path: string;
  readonly errorCode?: string;
  readonly detail?: string;
  readonly networkCode?: string;
  readonly retryAfterSeconds?: number;

  constructor(details: AtlasApiErrorDetails) {
    super(describeApiFailure(details), details.cause ? { cause: details.cause } : undefined);
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.errorCode = details.errorCode;
    this.detail = details.detail;
    this.networkCode = details.networkCode;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

function describeApiFailure(d: AtlasApiErrorDetails): string {
  const request = `${d.method} ${d.path}`;
  if (d.status === undefined) {
    return `Atlas API request got no answer (${d.networkCode ?? "network error"}): ${request}`;
  }
  const code = d.errorCode ? ` ${d.errorCode}` : "";
  const detail = d.detail ? ` (${d.detail})` : "";
  return `Atlas API answered ${d.status}${code}${detail}: ${request}`;
}

/** A response (or a config value) did not have the expected shape. Problems name paths, never values. */
export class AtlasDecodeError extends Error {
  override readonly name = "AtlasDecodeError";
  constructor(
    /** What was being decoded, e.g. `GET /api/atlas/v2/...` or `stack config`. */
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(`unexpected data from ${where}: ${problems.join("; ")}`);
  }
}

/** The provider's configuration (stack config or environment) is missing or invalid. */
export class ProviderConfigError extends Error {
  override readonly name = "ProviderConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid provider configuration: ${problems.join("; ")}`);
  }
}

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
