/** One violated field in a 400 answer, as Atlas reports it in `badRequestDetail.fields`. */
export interface FieldViolation {
  /** Path to the field in the request (body attribute, path or query parameter name). */
  field: string;
  /** Why the field was refused. */
  description: string;
}

/** The Atlas `ApiError` body (`components.schemas.ApiError`). */
export interface ApiErrorBody {
  error: number;
  errorCode: string;
  detail: string;
  reason: string;
  /** The values the detail names (ids, names), as Atlas fills them. */
  parameters: string[];
  badRequestDetail?: { fields: FieldViolation[] };
}

/**
 * An Atlas API failure the emulator answers with: status, body and headers: any extra ones (e.g.
 * `Retry-After`) and, as Atlas sends on every error, `X-Error-Code`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    readonly parameters: string[] = [],
    readonly fields: FieldViolation[] = [],
    headers: Record<string, string> = {},
  ) {
    super(`${errorCode}: ${detail}`);
    this.headers = { ...headers, "X-Error-Code": errorCode };
  }

  /** The JSON body Atlas sends for this error. */
  toBody(): ApiErrorBody {
    const body: ApiErrorBody = {
      error: this.status,
      errorCode: this.errorCode,
      detail: this.detail,
      reason: reasonPhrase(this.status),
      // Atlas sends the values named in `detail` here as strings, though the OpenAPI types the items as
      // objects (test/emulator/contract.ts records that erratum).
      parameters: this.parameters,
    };
    if (this.fields.length > 0) body.badRequestDetail = { fields: this.fields };
    return body;
  }
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The HTTP reason phrase Atlas puts in `ApiError.reason`. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "Error";
}

// Constructors for the errors the emulator sends. Each names its Atlas errorCode once, so the codes live in
// one place and the README table can be checked against this file.

/** 400 for a request body that is not JSON. */
export const invalidJson = (): ApiError => new ApiError(400, "INVALID_JSON", "Received JSON is malformed.");

/** 400 for a body attribute that is required and absent. */
export const missingAttribute = (field: string): ApiError =>
  new ApiError(
    400,
    "MISSING_ATTRIBUTE",
    `The required attribute ${field} was not specified.`,
    [field],
    [{ field, description: "is required" }],
  );

/** 400 for a body attribute that is unknown, of the wrong type or out of range. */
export const invalidAttribute = (field: string, description: string): ApiError =>
  new ApiError(
    400,
    "INVALID_ATTRIBUTE",
    `Invalid attribute ${field} specified.`,
    [field],
    [{ field, description }],
  );

/** 400 for an enum attribute whose value is not one of the allowed ones. */
export const invalidEnumValue = (field: string, value: string, allowed: readonly string[]): ApiError =>
  new ApiError(
    400,
    "INVALID_ENUM_VALUE",
    `An invalid enumeration value ${value} was specified.`,
    [value, field],
    [{ field, description: `must be one of ${allowed.join(", ")}` }],
  );

/** 400 for a path or query parameter that does not match its schema. */
export const invalidParameter = (name: string, description: string): ApiError =>
  new ApiError(
    400,
    "INVALID_PARAMETER",
    `Invalid parameter ${name}: ${description}.`,
    [name],
    [{ field: name, description }],
  );

/** 401 with Atlas's digest challenge headers attached by the caller. */
export const unauthorized = (
  headers: Record<string, string>,
  detail = "You are not authorized for this resource.",
): ApiError => new ApiError(401, "UNAUTHORIZED", detail, [], [], headers);

/** 403 for a credential that exists but may not use the project. */
export const cannotAccessGroup = (groupId: string): ApiError =>
  new ApiError(403, "USER_UNAUTHORIZED", `Current user is not authorized to use project: ${groupId}`, [
    groupId,
  ]);

/** 404 for an unknown project. */
export const groupNotFound = (groupId: string): ApiError =>
  new ApiError(404, "GROUP_NOT_FOUND", `No group with ID ${groupId} exists.`, [groupId]);

/** 404 for an unknown serverless instance. */
export const serverlessInstanceNotFound = (name: string, groupId: string): ApiError =>
  new ApiError(
    404,
    "SERVERLESS_INSTANCE_NOT_FOUND",
    `No serverless instance with name ${name} exists in group ${groupId}.`,
    [name, groupId],
  );

/** 404 for an unknown flex cluster. */
export const flexClusterNotFound = (name: string, groupId: string): ApiError =>
  new ApiError(
    404,
    "FLEX_CLUSTER_NOT_FOUND",
    `No flex cluster with name ${name} exists in group ${groupId}.`,
    [name, groupId],
  );

/** 404 for an unknown dedicated cluster. */
export const clusterNotFound = (name: string, groupId: string): ApiError =>
  new ApiError(404, "CLUSTER_NOT_FOUND", `No cluster named ${name} exists in group ${groupId}.`, [
    name,
    groupId,
  ]);

/** 400 for a flex cluster's name on the clusters API (the Atlas CLI switches APIs on this code). */
export const flexClusterInClusterApi = (name: string): ApiError =>
  new ApiError(
    400,
    "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API",
    `Flex cluster ${name} cannot be used in the Cluster API.`,
    [name],
  );

/** 400 for a dedicated cluster's name on the Flex API (the Atlas CLI switches to the clusters API on this code). */
export const nonFlexClusterInFlexApi = (name: string): ApiError =>
  new ApiError(
    400,
    "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
    `Cannot use non-flex cluster ${name} in the flex API.`,
    [name],
  );

/** 405 for cancelling a restore job of a sharded cluster. */
export const cancelShardedRestoreNotAllowed = (jobId: string): ApiError =>
  new ApiError(
    405,
    "ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED",
    `Restore jobs of sharded clusters cannot be cancelled: ${jobId}`,
    [jobId],
    [],
    // RFC 9110 §15.5.6: a 405 names the methods the resource takes.
    { Allow: "GET, HEAD" },
  );

/**
 * 405 for cancelling an automated or point-in-time restore: the emulator's own code, since Atlas documents
 * neither the rule nor its answer (emulator/README.md, "Cancel").
 */
export const restoreJobNotCancellable = (jobId: string, deliveryType: string): ApiError =>
  new ApiError(
    405,
    "RESTORE_JOB_NOT_CANCELLABLE",
    `Only download restore jobs can be cancelled, not ${deliveryType} ones: ${jobId}`,
    [jobId, deliveryType],
    [],
    { Allow: "GET, HEAD" },
  );

/** 400 for a point-in-time restore of a cluster without continuous backup. */
export const pointInTimeNotEnabled = (name: string): ApiError =>
  new ApiError(
    400,
    "POINT_IN_TIME_RESTORE_NOT_ENABLED",
    `Continuous cloud backup is not enabled for cluster: ${name}`,
    [name],
  );

/** 404 for an unknown snapshot (or one of another cluster). */
export const snapshotNotFound = (snapshotId: string, clusterName: string): ApiError =>
  new ApiError(
    404,
    "SNAPSHOT_NOT_FOUND",
    `No snapshot with ID ${snapshotId} exists for cluster ${clusterName}.`,
    [snapshotId, clusterName],
  );

/** 404 for an unknown restore job (or one of another cluster). */
export const restoreJobNotFound = (jobId: string, clusterName: string): ApiError =>
  new ApiError(
    404,
    "RESTORE_JOB_NOT_FOUND",
    `No restore job with ID ${jobId} exists for cluster ${clusterName}.`,
    [jobId, clusterName],
  );

/** 400 for a restore of a snapshot that is not completed. */
export const snapshotNotCompleted = (snapshotId: string, status: string): ApiError =>
  new ApiError(
    400,
    "SNAPSHOT_NOT_COMPLETED",
    `Cannot restore a snapshot that is not completed (status ${status}): ${snapshotId}`,
    [snapshotId, status],
  );

/** 400 for a point-in-time restore whose time has no snapshot before it or lies in the future. */
export const invalidRestoreTime = (detail: string): ApiError =>
  new ApiError(400, "INVALID_RESTORE_TIME", `Invalid point in time for restore: ${detail}`, [detail]);

/** 404 for a path no operation serves. */
export const resourceNotFound = (path: string): ApiError =>
  new ApiError(404, "RESOURCE_NOT_FOUND", `Cannot find resource: ${path}`, [path]);

/** 405 for a known path with an unsupported method; `allow` lists the methods it takes (RFC 9110 §15.5.6). */
export const methodNotAllowed = (method: string, path: string, allow: readonly string[]): ApiError =>
  new ApiError(405, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed on: ${path}`, [method, path], [], {
    Allow: allow.join(", "),
  });

/** 406 for a missing or unsupported version in `Accept`. */
export const invalidVersionNotAcceptable = (accept: string): ApiError =>
  new ApiError(406, "INVALID_VERSION_DATE", `Invalid accept header or version date: ${accept}`, [accept]);

/** 400 for an `Accept` version that is not a real calendar date. */
export const invalidVersionDate = (version: string): ApiError =>
  new ApiError(400, "INVALID_VERSION_DATE", `Invalid version date: ${version}`, [version]);

/** 415 for a body sent with a media type the operation does not take. */
export const unsupportedMediaType = (contentType: string): ApiError =>
  new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `Unsupported content type: ${contentType}`, [contentType]);

/** 410 for an operation version removed at the serverless sunset. */
export const versionGone = (version: string): ApiError =>
  new ApiError(
    410,
    "VERSION_GONE",
    `The requested API version was sunset and is no longer available: ${version}`,
    [version],
  );

/** 429 with the rate-limit headers. */
export const rateLimited = (headers: Record<string, string>): ApiError =>
  new ApiError(
    429,
    "RATE_LIMITED",
    "Too many requests; retry after the number of seconds in Retry-After.",
    [],
    [],
    headers,
  );

/** 500 injected by a fault rule, or for a bug (whose details go to the log, never to the client). */
export const unexpectedError = (detail = "Unexpected error."): ApiError =>
  new ApiError(500, "UNEXPECTED_ERROR", detail);

/** 400 for a request target that is not a URL path (`//`, a broken absolute form, a port out of range). */
export const invalidRequestTarget = (): ApiError =>
  new ApiError(400, "INVALID_REQUEST_TARGET", "The request target is not a valid URL.");

/** 400 or 431 for a request Node's HTTP parser refused before any route saw it. */
export const unparsableRequest = (status: 400 | 431, detail: string): ApiError =>
  new ApiError(status, status === 431 ? "REQUEST_HEADERS_TOO_LARGE" : "INVALID_REQUEST", detail);

/** 503 injected by a fault rule. */
export const serviceUnavailable = (retryAfterSeconds: number): ApiError =>
  new ApiError(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.", [], [], {
    "Retry-After": String(retryAfterSeconds),
  });
