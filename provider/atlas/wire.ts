import * as t from "io-ts";

/**
 * Atlas wire codecs. Responses are decoded tolerantly (`t.type`/`t.partial` ignore unknown fields) so
 * that new API fields never break a deployment; only what we use is required.
 */

/** A BSON timestamp as Atlas returns it. */
export const BsonTimestamp = t.partial({ date: t.string, increment: t.number });
export type BsonTimestamp = t.TypeOf<typeof BsonTimestamp>;

/**
 * Delivery types of serverless and dedicated restore jobs (`ServerlessBackupRestoreJob.deliveryType`,
 * `DiskBackupSnapshotRestoreJob.deliveryType`), no others.
 */
export const ServerlessDeliveryType = t.keyof({ automated: null, download: null, pointInTime: null });
export type ServerlessDeliveryType = t.TypeOf<typeof ServerlessDeliveryType>;

/** Accepts `null` where Atlas sends it for an absent field. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/**
 * The fields serverless and dedicated restore jobs share. Neither has a status field: the flags and
 * `finishedAt` tell where the job is (see {@link serverlessJobStatus}).
 */
export const flaggedJobFields = {
  deliveryType: t.string,
  snapshotId: t.string,
  targetClusterName: t.string,
  targetGroupId: t.string,
  oplogTs: t.number,
  oplogInc: t.number,
  pointInTimeUTCSeconds: t.number,
  failed: t.boolean,
  cancelled: t.boolean,
  expired: t.boolean,
  finishedAt: t.string,
  expiresAt: t.string,
  timestamp: t.string,
  deliveryUrl: t.array(t.string),
};

/** What a job of {@link flaggedJobFields} reports, whichever API answered. */
export type FlaggedJob = t.TypeOf<t.PartialC<typeof flaggedJobFields>>;

/**
 * `ServerlessBackupRestoreJob`. Named for the wire so that it does not clash with the resource class
 * `ServerlessRestoreJob`.
 */
export const ServerlessJobWire = t.intersection([
  t.type({ id: t.string }),
  t.partial({ ...flaggedJobFields, desiredTimestamp: BsonTimestamp }),
]);
export type ServerlessJobWire = t.TypeOf<typeof ServerlessJobWire>;

/** Body of `createGroupServerlessBackupRestoreJob`. */
export interface CreateServerlessRestoreJobRequest {
  deliveryType: ServerlessDeliveryType;
  targetClusterName: string;
  targetGroupId: string;
  snapshotId?: string;
  pointInTimeUTCSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
}

/** `ServerlessBackupSnapshot` (and, for the fields we use, `FlexBackupSnapshot20241113`). */
export const BackupSnapshot = t.intersection([
  t.type({ id: t.string }),
  t.partial({ createdAt: t.string, status: t.string, expiresAt: t.string, snapshotType: t.string }),
]);
export type BackupSnapshot = t.TypeOf<typeof BackupSnapshot>;

/** Flex restore job statuses (`FlexBackupRestoreJob20241113.status`). */
export const FlexJobStatus = t.keyof({
  PENDING: null,
  QUEUED: null,
  RUNNING: null,
  FAILED: null,
  COMPLETED: null,
});
export type FlexJobStatus = t.TypeOf<typeof FlexJobStatus>;

/** `FlexBackupRestoreJob20241113`: a restore (`RESTORE`) or a download (`DOWNLOAD`) of a flex snapshot. */
export const FlexRestoreJob = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    status: t.string,
    deliveryType: t.string,
    snapshotId: t.string,
    instanceName: t.string,
    projectId: t.string,
    targetDeploymentItemName: t.string,
    targetProjectId: t.string,
    expirationDate: t.string,
    restoreFinishedDate: t.string,
    restoreScheduledDate: t.string,
    snapshotFinishedDate: t.string,
    snapshotUrl: t.string,
  }),
]);
export type FlexRestoreJob = t.TypeOf<typeof FlexRestoreJob>;

/** Body of `createGroupFlexClusterBackupRestoreJob`. */
export interface CreateFlexRestoreJobRequest {
  snapshotId: string;
  targetDeploymentItemName: string;
  targetProjectId?: string;
}

/** `FlexBackupSnapshot20241113`, for the fields we use: flex snapshots have no `createdAt`. */
export const FlexSnapshot = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    status: t.string,
    finishTime: t.string,
    startTime: t.string,
    scheduledTime: t.string,
    expiration: t.string,
  }),
]);
export type FlexSnapshot = t.TypeOf<typeof FlexSnapshot>;

/**
 * Where a deployment answers: `standard` (`mongodb://`, Flex and dedicated clusters) and
 * `standardSrv` (`mongodb+srv://`, every kind; the only one serverless instances have).
 */
export const ConnectionStrings = t.partial({ standard: t.string, standardSrv: t.string });
export type ConnectionStrings = t.TypeOf<typeof ConnectionStrings>;

/** A serverless instance or flex cluster, for the fields we use. */
export const ClusterDescription = t.intersection([
  t.type({ name: t.string }),
  t.partial({ id: t.string, stateName: t.string, groupId: t.string, connectionStrings: ConnectionStrings }),
]);
export type ClusterDescription = t.TypeOf<typeof ClusterDescription>;

/** One page of a paginated list. */
export const page = <C extends t.Mixed>(item: C) =>
  t.intersection([t.type({ results: t.array(item) }), t.partial({ totalCount: t.number })]);

/** Atlas's `ApiError` body; every field optional because proxies answer errors too. */
export const ApiErrorBody = t.partial({
  error: t.number,
  errorCode: t.string,
  detail: t.union([t.string, t.null]),
  reason: t.union([t.string, t.null]),
});
export type ApiErrorBody = t.TypeOf<typeof ApiErrorBody>;

/** The OAuth token endpoint's answer. */
export const TokenResponse = t.intersection([
  t.type({ access_token: t.string }),
  t.partial({ expires_in: t.number, token_type: t.string }),
]);
export type TokenResponse = t.TypeOf<typeof TokenResponse>;
