import * as t from "io-ts";

/**
 * Atlas wire codecs. Responses are decoded tolerantly (`t.type`/`t.partial` ignore unknown fields) so
 * that new API fields never break a deployment; only what we use is required.
 */

/** Accepts `null` where Atlas sends it for an absent field. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/**
 * A codec that reads an object's `null` fields as absent. Real answers carry `null` for fields Atlas
 * has no value for yet (a create answer's `finishedAt`, for one): that must not fail the answer, least
 * of all the answer to a POST that started a restore.
 */
export function nullsAbsent<C extends t.Mixed>(codec: C): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  // The inner codec stands in the context for this one, so that error paths read as its own.
  const validate = (u: unknown, c: t.Context) =>
    codec.validate(withoutNulls(u), [...c.slice(0, -1), { ...c[c.length - 1]!, type: codec }]);
  return new t.Type(codec.name, codec.is, validate, codec.encode);
}

function withoutNulls(u: unknown): unknown {
  if (u === null || typeof u !== "object" || Array.isArray(u)) return u;
  return Object.fromEntries(Object.entries(u).filter(([, v]) => v !== null));
}

/** A BSON timestamp as Atlas returns it. */
export const BsonTimestamp = nullsAbsent(t.partial({ date: t.string, increment: t.number }));
export type BsonTimestamp = t.TypeOf<typeof BsonTimestamp>;

/**
 * Delivery types of serverless and dedicated restore jobs (`ServerlessBackupRestoreJob.deliveryType`,
 * `DiskBackupSnapshotRestoreJob.deliveryType`), no others.
 */
export const ServerlessDeliveryType = t.keyof({ automated: null, download: null, pointInTime: null });
export type ServerlessDeliveryType = t.TypeOf<typeof ServerlessDeliveryType>;

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
export const ServerlessJobWire = nullsAbsent(
  t.intersection([
    t.type({ id: t.string }),
    t.partial({ ...flaggedJobFields, desiredTimestamp: BsonTimestamp }),
  ]),
);
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
export const BackupSnapshot = nullsAbsent(
  t.intersection([
    t.type({ id: t.string }),
    t.partial({ createdAt: t.string, status: t.string, expiresAt: t.string, snapshotType: t.string }),
  ]),
);
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
export const FlexRestoreJob = nullsAbsent(
  t.intersection([
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
  ]),
);
export type FlexRestoreJob = t.TypeOf<typeof FlexRestoreJob>;

/** Body of `createGroupFlexClusterBackupRestoreJob`. */
export interface CreateFlexRestoreJobRequest {
  snapshotId: string;
  targetDeploymentItemName: string;
  targetProjectId?: string;
}

/** `FlexBackupSnapshot20241113`, for the fields we use: flex snapshots have no `createdAt`. */
export const FlexSnapshot = nullsAbsent(
  t.intersection([
    t.type({ id: t.string }),
    t.partial({
      status: t.string,
      finishTime: t.string,
      startTime: t.string,
      scheduledTime: t.string,
      expiration: t.string,
    }),
  ]),
);
export type FlexSnapshot = t.TypeOf<typeof FlexSnapshot>;

/**
 * Where a deployment answers: `standard` (`mongodb://`, Flex and dedicated clusters) and
 * `standardSrv` (`mongodb+srv://`, every kind; the only one serverless instances have).
 */
export const ConnectionStrings = t.partial({ standard: t.string, standardSrv: t.string });
export type ConnectionStrings = t.TypeOf<typeof ConnectionStrings>;

/** A serverless instance or flex cluster, for the fields we use. */
export const ClusterDescription = nullsAbsent(
  t.intersection([
    t.type({ name: t.string }),
    t.partial({ id: t.string, stateName: t.string, groupId: t.string, connectionStrings: ConnectionStrings }),
  ]),
);
export type ClusterDescription = t.TypeOf<typeof ClusterDescription>;

/** One page of a paginated list. */
export const page = <C extends t.Mixed>(item: C) =>
  nullsAbsent(t.intersection([t.type({ results: t.array(item) }), t.partial({ totalCount: t.number })]));

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
