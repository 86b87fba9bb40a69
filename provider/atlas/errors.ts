/**
 * Errors of Atlas API calls, which users may catch. Each has a stable `name`; none carries a credential, a token, a
 * download URL or an HTTP client's request config (which holds the Authorization header).
 */

/** An Atlas Admin API call failed: an error answer, or no answer at all. */
export class AtlasApiError extends Error {
  override readonly name = "AtlasApiError";
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

/** What is known of a failed Atlas API call: the error's fields, and what caused it. */
export type AtlasApiErrorDetails = Pick<
  AtlasApiError,
  "status" | "method" | "path" | "errorCode" | "detail" | "networkCode" | "retryAfterSeconds"
> & {
  /** The original failure, reduced to its message so that nothing secret travels with it. */
  readonly cause?: Error;
};

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
