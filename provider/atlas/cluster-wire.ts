import * as t from "io-ts";

import { ConnectionStrings, flaggedJobFields, nullable, nullsAbsent, ServerlessDeliveryType } from "./wire";

/**
 * Wire codecs of the dedicated-cluster operations (`openapi-subset-dedicated.json`). Tolerant like the
 * others: unknown fields are ignored, and fields real answers send as `null` are read as absent.
 */

/** Dedicated restore delivery types: the serverless ones. */
export const ClusterDeliveryType = ServerlessDeliveryType;
export type ClusterDeliveryType = ServerlessDeliveryType;

/** `ApiPrivateDownloadDeliveryUrl`: a download link reachable through a private endpoint. */
export const PrivateDownloadUrl = t.partial({ deliveryUrl: t.string, endpointId: t.string });
export type PrivateDownloadUrl = t.TypeOf<typeof PrivateDownloadUrl>;

/** `DiskBackupRestoreMember`: one replica set of a sharded cluster's restore, with its own link. */
export const ClusterRestoreComponent = t.partial({
  downloadUrl: t.string,
  privateDownloadDeliveryUrls: t.array(PrivateDownloadUrl),
  replicaSetName: t.string,
});
export type ClusterRestoreComponent = t.TypeOf<typeof ClusterRestoreComponent>;

/** `Link` (RFC 5988). */
export const ApiLink = t.partial({ href: t.string, rel: t.string });
export type ApiLink = t.TypeOf<typeof ApiLink>;

/**
 * `ApiBSONTimestampView`. A real create answer carries `{"increment":null,"time":null,"date":null}`
 * (and `time`, which the spec does not list).
 */
export const ClusterBsonTimestamp = t.partial({
  date: nullable(t.string),
  increment: nullable(t.number),
  time: nullable(t.number),
});
export type ClusterBsonTimestamp = t.TypeOf<typeof ClusterBsonTimestamp>;

/** `DiskBackupSnapshotRestoreJob`: no status field; see {@link clusterJobStatus}. */
export const ClusterRestoreJob = nullsAbsent(
  t.intersection([
    t.type({ id: t.string }),
    t.partial({
      ...flaggedJobFields,
      privateDownloadDeliveryUrls: t.array(PrivateDownloadUrl),
      components: t.array(ClusterRestoreComponent),
      desiredTimestamp: ClusterBsonTimestamp,
      links: t.array(ApiLink),
      // Not in the spec, but real answers carry it.
      targetDeploymentItemName: t.string,
    }),
  ]),
);
export type ClusterRestoreJob = t.TypeOf<typeof ClusterRestoreJob>;

/** Body of `createGroupClusterBackupRestoreJob`. */
export interface CreateClusterRestoreJobRequest {
  deliveryType: ClusterDeliveryType;
  snapshotId?: string;
  targetClusterName?: string;
  targetGroupId?: string;
  pointInTimeUTCSeconds?: number;
  oplogTs?: number;
  oplogInc?: number;
}

/** On-demand snapshot statuses (`DiskBackupSnapshot.status`). */
export const ClusterSnapshotStatus = t.keyof({
  queued: null,
  inProgress: null,
  completed: null,
  failed: null,
});
export type ClusterSnapshotStatus = t.TypeOf<typeof ClusterSnapshotStatus>;

/**
 * `DiskBackupReplicaSet` or `DiskBackupShardedClusterSnapshot` (discriminated by `type`), for the
 * fields a program or a restore uses. `frequencyType` stays a string: a real on-demand snapshot
 * answered `ondemand`, outside the spec's enum.
 */
export const ClusterSnapshot = nullsAbsent(
  t.intersection([
    t.type({ id: t.string }),
    t.partial({
      type: t.string,
      status: t.string,
      snapshotType: t.string,
      frequencyType: t.string,
      description: t.string,
      createdAt: t.string,
      expiresAt: t.string,
      mongodVersion: t.string,
      storageSizeBytes: t.number,
      replicaSetName: t.string,
      cloudProvider: t.string,
      snapshotIds: t.array(t.string),
    }),
  ]),
);
export type ClusterSnapshot = t.TypeOf<typeof ClusterSnapshot>;

/** Body of `takeGroupClusterBackupSnapshots` (`DiskBackupOnDemandSnapshotRequest`). */
export interface TakeClusterSnapshotRequest {
  description?: string;
  retentionInDays?: number;
}

/** A dedicated cluster (`ClusterDescription20240805`), for the fields a restore needs. */
export const DedicatedCluster = nullsAbsent(
  t.intersection([
    t.type({ name: t.string }),
    t.partial({
      id: t.string,
      groupId: t.string,
      stateName: t.string,
      clusterType: t.string,
      backupEnabled: t.boolean,
      pitEnabled: t.boolean,
      paused: t.boolean,
      mongoDBVersion: t.string,
      connectionStrings: ConnectionStrings,
    }),
  ]),
);
export type DedicatedCluster = t.TypeOf<typeof DedicatedCluster>;
