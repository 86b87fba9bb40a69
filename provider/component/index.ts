import * as pulumi from "@pulumi/pulumi";

import * as restore from "../index";

/*
 * The package's resources as Pulumi components, for programs in any language (see
 * docs/other-languages.md). `componentProviderHost` infers the package's schema from this file: each
 * component's `args` interface gives its inputs, and its own `readonly` fields its outputs. Each
 * component builds the TypeScript class of the same name, so it has that class's checks, waiting,
 * progress messages, at-most-once start and error messages.
 *
 * Pulumi's schema analyzer runs on this file as it is shipped, with the program's TypeScript or
 * (without one) Pulumi's own TypeScript 3.8, so the file uses no newer syntax, and declares every type
 * it exposes itself: the analyzer takes no literal unions (`"automated" | "download"`, given here as
 * strings that the restore's checks validate) and sees no inherited outputs. test/unit/component keeps
 * these inputs and outputs equal to the TypeScript classes'.
 */

/** The package's name in the schema and in type tokens (`atlas-restore:index:ServerlessRestoreJob`). */
export const PACKAGE = "atlas-restore";

/** Inputs every restore has: how to wait, and what forces a new restore. */
export interface RestoreJobWaitArgs {
  /** Wait until the job ends before the outputs resolve, so that dependents wait too (default: true). */
  waitForCompletion?: pulumi.Input<boolean>;
  /** Longest wait in seconds (default: 10800); when it passes, the next `pulumi up` resumes waiting. */
  waitTimeoutSeconds?: pulumi.Input<number>;
  /** After the job, also wait until the target reports IDLE (default: true when there is a target). */
  waitForTarget?: pulumi.Input<boolean>;
  /** Attach to a restore job started elsewhere and wait for it instead of starting one. */
  existingRestoreJobId?: pulumi.Input<string>;
  /** Any change to these values starts a new restore, e.g. a date for a nightly refresh. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema's Any: values of any type
  triggers?: pulumi.Input<any[]>;
  /**
   * Check the clone once the job completed and the target is ready, once per restore job; a failed
   * check fails the step naming the collection and its counts. The database user comes from stack
   * config (`atlasRestore:databaseUsername`, `atlasRestore:databasePassword`).
   */
  verify?: pulumi.Input<CloneCheck>;
}

/** A clone check: the collections of the target to look at. */
export interface CloneCheck {
  /** At least one collection, each named once. */
  collections: pulumi.Input<pulumi.Input<CollectionCheck>[]>;
}

/** One collection of a clone check. */
export interface CollectionCheck {
  /** The collection on the target, `database.collection`. */
  namespace: pulumi.Input<string>;
  /** How many documents it must hold: one of `exactly`, `atLeast`, `sameAsSource: true`. */
  documents?: pulumi.Input<DocumentCount>;
  /** A query that must match documents. */
  query?: pulumi.Input<QueryCheck>;
}

/** A count of documents; give exactly one field. */
export interface DocumentCount {
  /** Exactly this many. */
  exactly?: pulumi.Input<number>;
  /** At least this many. */
  atLeast?: pulumi.Input<number>;
  /** As many as the source had, as Atlas reports it (collection-level restores). */
  sameAsSource?: pulumi.Input<boolean>;
}

/** A MongoDB query filter that must match at least `atLeast` documents (default: 1). */
export interface QueryCheck {
  /** The filter, as JSON (Extended JSON for values JSON cannot hold). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema's Any: a query filter
  filter: pulumi.Input<any>;
  /** How many documents it must match. */
  atLeast?: pulumi.Input<number>;
}

/** One collection of a clone check's outcome. */
export interface CheckedCollection {
  /** The collection read. */
  namespace: string;
  /** What its count had to be. */
  expected?: string;
  /** Documents found. */
  found: number;
  /** Documents matching the query, when there is one. */
  matching?: number;
  /** Whether it passed. */
  ok: boolean;
}

/** A clone check's outcome. */
export interface CloneVerification {
  /** Whether every collection passed. */
  ok: boolean;
  /** Each collection's counts. */
  collections: CheckedCollection[];
}

/** The moment a `pointInTime` restore goes back to: a time, or a point in the oplog. */
export interface PointInTimeArgs {
  /** `pointInTime` only: the moment to restore, in seconds since the epoch. */
  pointInTimeUTCSeconds?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogInc`: the oplog timestamp, in seconds since the epoch. */
  oplogTs?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogTs`: the oplog operation number within that second (from 1). */
  oplogInc?: pulumi.Input<number>;
}

/** Inputs of a serverless instance's restore. */
export interface ServerlessRestoreJobArgs extends RestoreJobWaitArgs, PointInTimeArgs {
  /** Project (group) id of the source instance: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the serverless instance whose snapshot is restored. */
  clusterName: pulumi.Input<string>;
  /** `automated`, `download` or `pointInTime`. */
  deliveryType: pulumi.Input<string>;
  /** Snapshot to restore; by default the newest completed one, recorded in the `snapshotId` output. */
  snapshotId?: pulumi.Input<string>;
  /** Instance that receives the data (required for `automated` and `pointInTime`). */
  targetClusterName?: pulumi.Input<string>;
  /** Project of the target instance (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /** When the serverless API is gone: `flex` (default) restores through the Flex API, `none` fails. */
  apiFallback?: pulumi.Input<string>;
}

/** Inputs of a Flex cluster's restore. */
export interface FlexRestoreJobArgs extends RestoreJobWaitArgs {
  /** Project (group) id of the source cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the Flex cluster whose snapshot is restored. */
  name: pulumi.Input<string>;
  /** Snapshot to restore; by default the newest completed one, recorded in the `snapshotId` output. */
  snapshotId?: pulumi.Input<string>;
  /** Flex cluster that receives the data. */
  targetDeploymentItemName: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`). */
  targetProjectId?: pulumi.Input<string>;
}

/** An on-demand snapshot to take first and restore. */
export interface TakeSnapshot {
  /** Days Atlas keeps the snapshot, from 1 (default: Atlas's). */
  retentionInDays?: pulumi.Input<number>;
  /** The snapshot's description, by which an interrupted run recognises it. */
  description?: pulumi.Input<string>;
}

/** Inputs of a dedicated cluster's restore (and of a restore of whatever the source is). */
export interface ClusterRestoreJobArgs extends RestoreJobWaitArgs, PointInTimeArgs {
  /** Project (group) id of the source cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the cluster whose backup is restored. */
  clusterName: pulumi.Input<string>;
  /** `automated`, `download` or `pointInTime`; `automated` and `pointInTime` erase the target first. */
  deliveryType: pulumi.Input<string>;
  /** Snapshot to restore; by default the newest completed one, recorded in the `snapshotId` output. */
  snapshotId?: pulumi.Input<string>;
  /** Take an on-demand snapshot first and restore exactly that one (`{}` keeps Atlas's defaults). */
  takeSnapshot?: pulumi.Input<TakeSnapshot>;
  /** Cluster that receives the data (required for `automated` and `pointInTime`). */
  targetClusterName?: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /** What destroy does with a running job: `forget` (default) or `cancel`. */
  onDestroy?: pulumi.Input<string>;
}

/** A database (`orders`) or collection (`orders.customers`) to restore, and where it goes. */
export interface RestoreNamespace {
  /** The database or collection in the snapshot. */
  sourceNamespace: pulumi.Input<string>;
  /** Where it goes on the target, in the same form (default: the source, with the suffixes). */
  targetNamespace?: pulumi.Input<string>;
}

/** Inputs of a collection-level restore. */
export interface CollectionRestoreJobArgs extends RestoreJobWaitArgs {
  /** Project (group) id of the source cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the cluster whose backup holds the databases and collections. */
  clusterName: pulumi.Input<string>;
  /** Cluster that receives them (the source itself is allowed). */
  targetClusterName: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /** Whole databases to restore, at most 100. */
  databases?: pulumi.Input<pulumi.Input<RestoreNamespace>[]>;
  /** Collections to restore, at most 100. */
  collections?: pulumi.Input<pulumi.Input<RestoreNamespace>[]>;
  /** Appended to each target database name not given explicitly. */
  databaseSuffix?: pulumi.Input<string>;
  /** Appended to each target collection name not given explicitly. */
  collectionSuffix?: pulumi.Input<string>;
  /** `CREATE_NEW` (default) or `OVERWRITE_EXISTING`, which drops and replaces the target namespaces. */
  writeStrategy?: pulumi.Input<string>;
  /** `ALL` (default), `NONE` or `ALL_EXCEPT_TTL`. */
  indexStrategy?: pulumi.Input<string>;
  /** Snapshot to restore from; by default the newest completed one. Not with a point in time. */
  snapshotId?: pulumi.Input<string>;
  /** Restore the collections as they were at this moment, in seconds since the epoch. */
  pointInTimeUtcSeconds?: pulumi.Input<number>;
  /** With `oplogInc`: the oplog timestamp to restore to, in seconds since the epoch. */
  oplogTs?: pulumi.Input<number>;
  /** With `oplogTs`: the oplog operation number within that second (from 1). */
  oplogInc?: pulumi.Input<number>;
  /** Whether a job that ends SUCCESSFUL with some collections unrestored counts as success. */
  allowPartial?: pulumi.Input<boolean>;
}

/** A point in the oplog. */
export interface OplogTimestamp {
  /** The second, ISO 8601. */
  date?: string;
  /** The operation within that second. */
  increment?: number;
}

/** A download link reachable through a private endpoint. */
export interface PrivateDownloadUrl {
  /** The private link. */
  deliveryUrl?: string;
  /** The private endpoint it is reachable through. */
  endpointId?: string;
}

/** One replica set of a sharded cluster's restore, with its own download links. */
export interface ClusterRestoreComponent {
  /** Name of the replica set (shard or config server). */
  replicaSetName?: string;
  /** Download link of this replica set's data. */
  downloadUrl?: string;
  /** Private download links of this replica set. */
  privateDownloadDeliveryUrls: PrivateDownloadUrl[];
}

/** One of Atlas's links to a job, its snapshot, cluster or project. */
export interface Link {
  /** What the link points to. */
  rel?: string;
  /** Where. */
  href?: string;
}

/** The index build of a collection restore as a whole. */
export interface IndexStatus {
  /** The index build's state. */
  state?: string;
  /** Collections whose indexes failed to build. */
  failedCollectionCount?: number;
}

/** One collection of a collection restore job. */
export interface CollectionRestoreSummary {
  /** The collection in the snapshot, `db.collection`. */
  sourceNamespace: string;
  /** Where it was asked to go. */
  targetNamespace?: string;
  /** Where it went, after Atlas renamed it to avoid a conflict. */
  effectiveTargetNamespace?: string;
  /** The collection's restore state, e.g. SUCCESSFUL or INDEX_BUILD_FAILED. */
  state: string;
  /** Documents copied so far. */
  restoredDocuments: number;
  /** Documents to copy. */
  totalDocuments: number;
  /** The collection's index build state. */
  indexState?: string;
  /** Why its indexes failed to build. */
  indexErrorMessage?: string;
}

/**
 * A restore of a serverless instance's backup: starts the job once and, by default, waits for it and
 * its target. Destroying it only forgets the job. See `ServerlessRestoreJob` in the package's README.
 */
export class ServerlessRestoreJob extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<string>;
  /** True once the target reported IDLE after the restore. */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /** The clone check's outcome (`verify`), once per restore job. */
  declare readonly verification: pulumi.Output<CloneVerification | undefined>;
  /** Whether the job failed. */
  declare readonly failed: pulumi.Output<boolean>;
  /** Whether the job was cancelled. */
  declare readonly cancelled: pulumi.Output<boolean>;
  /** Whether the job (its download links) expired. */
  declare readonly expired: pulumi.Output<boolean>;
  /** When the job finished (ISO 8601). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** When the job and its download links expire (ISO 8601). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** When the snapshot restored was taken (ISO 8601). */
  declare readonly timestamp: pulumi.Output<string | undefined>;
  /** Download links of a `download` job (secret). */
  declare readonly deliveryUrl: pulumi.Output<string[]>;
  /** The snapshot restored. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input`, `latest` (chosen at creation) or `job` (chosen by Atlas). */
  declare readonly snapshotSource: pulumi.Output<string>;
  /** True when the restore writes into its own source. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** The API that owns the job: `serverless`, or `flex` after the sunset fallback. */
  declare readonly api: pulumi.Output<string>;
  /** Instance that receives the data. */
  declare readonly targetClusterName: pulumi.Output<string>;
  /** Project of the target instance. */
  declare readonly targetGroupId: pulumi.Output<string>;
  /** The oplog point restored to (`pointInTime`). */
  declare readonly desiredTimestamp: pulumi.Output<OplogTimestamp | undefined>;

  constructor(name: string, args: ServerlessRestoreJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("ServerlessRestoreJob"), name, {}, opts);
    adopt(
      this,
      new restore.ServerlessRestoreJob(name, args as restore.ServerlessRestoreJobArgs, {
        parent: this,
      }),
    );
  }
}

/**
 * A restore of a Flex cluster's snapshot: starts the job once and, by default, waits for it and its
 * target. Destroying it only forgets the job. See `FlexRestoreJob` in the package's README.
 */
export class FlexRestoreJob extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** `RUNNING`, `COMPLETED` or `FAILED`. */
  declare readonly status: pulumi.Output<string>;
  /** True once the target reported IDLE after the restore. */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /** The clone check's outcome (`verify`), once per restore job. */
  declare readonly verification: pulumi.Output<CloneVerification | undefined>;
  /** The API that owns the job: `flex`. */
  declare readonly api: pulumi.Output<string>;
  /** Atlas's own status: PENDING, QUEUED, RUNNING, FAILED or COMPLETED. */
  declare readonly atlasStatus: pulumi.Output<string | undefined>;
  /** The snapshot restored. */
  declare readonly snapshotId: pulumi.Output<string>;
  /** `input`, `latest` (chosen at creation) or `job` (an adopted job). */
  declare readonly snapshotSource: pulumi.Output<string>;
  /** `RESTORE` or `DOWNLOAD`. */
  declare readonly deliveryType: pulumi.Output<string | undefined>;
  /** Name of the source instance, as Atlas reports it. */
  declare readonly instanceName: pulumi.Output<string | undefined>;
  /** Project the job belongs to. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** Flex cluster that receives the data. */
  declare readonly targetDeploymentItemName: pulumi.Output<string>;
  /** Project of the target cluster. */
  declare readonly targetProjectId: pulumi.Output<string>;
  /** When a download link stops working (ISO 8601). */
  declare readonly expirationDate: pulumi.Output<string | undefined>;
  /** When Atlas scheduled the restore (ISO 8601). */
  declare readonly restoreScheduledDate: pulumi.Output<string | undefined>;
  /** When Atlas finished writing the restore (ISO 8601). */
  declare readonly restoreFinishedDate: pulumi.Output<string | undefined>;
  /** When the snapshot restored was finished (ISO 8601). */
  declare readonly snapshotFinishedDate: pulumi.Output<string | undefined>;
  /** Download link of a download job (secret). */
  declare readonly snapshotUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: FlexRestoreJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("FlexRestoreJob"), name, {}, opts);
    adopt(this, new restore.FlexRestoreJob(name, args as restore.FlexRestoreJobArgs, { parent: this }));
  }
}

/**
 * A restore of a dedicated cluster's backup (M10 and up): chooses or takes a snapshot, starts the job
 * once and, by default, waits for it and its target. See `ClusterRestoreJob` in the package's README.
 */
export class ClusterRestoreJob extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<string>;
  /** True once the target reported IDLE after the restore. */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /** The clone check's outcome (`verify`), once per restore job. */
  declare readonly verification: pulumi.Output<CloneVerification | undefined>;
  /** Whether the job failed. */
  declare readonly failed: pulumi.Output<boolean>;
  /** Whether the job was cancelled. */
  declare readonly cancelled: pulumi.Output<boolean>;
  /** Whether the job (its download links) expired. */
  declare readonly expired: pulumi.Output<boolean>;
  /** When the job finished (ISO 8601). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** When the job and its download links expire (ISO 8601). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** When the snapshot restored was taken (ISO 8601). */
  declare readonly timestamp: pulumi.Output<string | undefined>;
  /** Download links of a `download` job (secret). */
  declare readonly deliveryUrl: pulumi.Output<string[]>;
  /** The kind of source: `cluster`. */
  declare readonly kind: pulumi.Output<string>;
  /** The API that owns the job: `cluster`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input`, `new` (taken on demand), `latest` (chosen at creation) or `job` (chosen by Atlas). */
  declare readonly snapshotSource: pulumi.Output<string>;
  /** True when the restore writes into its own source. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** `automated`, `download` or `pointInTime`. */
  declare readonly deliveryType: pulumi.Output<string>;
  /** Cluster that receives the data (absent for downloads). */
  declare readonly targetClusterName: pulumi.Output<string | undefined>;
  /** Project of the target cluster (absent for downloads). */
  declare readonly targetGroupId: pulumi.Output<string | undefined>;
  /** The target's name as Atlas reports it. */
  declare readonly targetDeploymentItemName: pulumi.Output<string | undefined>;
  /** The moment restored (`pointInTime`). */
  declare readonly pointInTimeUTCSeconds: pulumi.Output<number | undefined>;
  /** The oplog timestamp restored to (`pointInTime`). */
  declare readonly oplogTs: pulumi.Output<number | undefined>;
  /** The oplog increment restored to (`pointInTime`). */
  declare readonly oplogInc: pulumi.Output<number | undefined>;
  /** The oplog point restored to, once Atlas knows it. */
  declare readonly desiredTimestamp: pulumi.Output<OplogTimestamp | undefined>;
  /** Download links through private endpoints (secret). */
  declare readonly privateDownloadDeliveryUrls: pulumi.Output<PrivateDownloadUrl[]>;
  /** Per replica set of a sharded cluster, with its download links (secret). */
  declare readonly components: pulumi.Output<ClusterRestoreComponent[]>;
  /** Atlas's links to the job, its snapshot, cluster and project. */
  declare readonly links: pulumi.Output<Link[] | undefined>;

  constructor(name: string, args: ClusterRestoreJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("ClusterRestoreJob"), name, {}, opts);
    adopt(this, new restore.ClusterRestoreJob(name, args as restore.ClusterRestoreJobArgs, { parent: this }));
  }
}

/**
 * A collection-level restore of a dedicated cluster's backup: chosen databases and collections copied
 * into a cluster, started once, waited for with progress in documents. Destroying it only forgets
 * the job. See `CollectionRestoreJob` in the package's README.
 */
export class CollectionRestoreJob extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** `RUNNING`, then `COMPLETED`, `FAILED` or `CANCELLED`. */
  declare readonly status: pulumi.Output<string>;
  /** True once the target reported IDLE after the restore. */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /** The clone check's outcome (`verify`), once per restore job. */
  declare readonly verification: pulumi.Output<CloneVerification | undefined>;
  /** The job's own state: INITIALIZING, IN_PROGRESS, FINALIZING, SUCCESSFUL, CANCELED or FAILED. */
  declare readonly state: pulumi.Output<string>;
  /** The kind of restore: `collection`. */
  declare readonly kind: pulumi.Output<string>;
  /** The API that owns the job: `collection`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored from. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input`, `latest` (chosen at creation) or `job` (chosen by Atlas). */
  declare readonly snapshotSource: pulumi.Output<string>;
  /** True when the restore writes into its own source. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** When Atlas created the job (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the job ended (ISO 8601). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** Why the job failed or was cancelled. */
  declare readonly errorMessage: pulumi.Output<string | undefined>;
  /** Documents copied so far. */
  declare readonly restoredDocuments: pulumi.Output<number>;
  /** Documents to copy. */
  declare readonly totalDocuments: pulumi.Output<number>;
  /** `restoredDocuments` as a whole percentage of `totalDocuments`. */
  declare readonly percentRestored: pulumi.Output<number>;
  /** The index build as a whole. */
  declare readonly indexStatus: pulumi.Output<IndexStatus>;
  /** One entry per collection. */
  declare readonly collectionStates: pulumi.Output<CollectionRestoreSummary[]>;
  /** The collections that ended unrestored, as `orders.audit (INDEX_BUILD_FAILED)`. */
  declare readonly unrestoredCollections: pulumi.Output<string[]>;
  /** True when the job ended SUCCESSFUL with some collections unrestored. */
  declare readonly partial: pulumi.Output<boolean>;

  constructor(name: string, args: CollectionRestoreJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("CollectionRestoreJob"), name, {}, opts);
    adopt(
      this,
      new restore.CollectionRestoreJob(name, args as restore.CollectionRestoreJobArgs, {
        parent: this,
      }),
    );
  }
}

/**
 * A restore of whatever the source is today: a dedicated cluster, a Flex cluster or a serverless
 * instance, read at creation and recorded in `kind`. See `RestoreJob` in the package's README.
 */
export class RestoreJob extends pulumi.ComponentResource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<string>;
  /** True once the target reported IDLE after the restore. */
  declare readonly targetReady: pulumi.Output<boolean | undefined>;
  /** The clone check's outcome (`verify`), once per restore job. */
  declare readonly verification: pulumi.Output<CloneVerification | undefined>;
  /** Whether the job failed. */
  declare readonly failed: pulumi.Output<boolean>;
  /** Whether the job was cancelled. */
  declare readonly cancelled: pulumi.Output<boolean>;
  /** Whether the job (its download links) expired. */
  declare readonly expired: pulumi.Output<boolean>;
  /** When the job finished (ISO 8601). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** When the job and its download links expire (ISO 8601). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** When the snapshot restored was taken (ISO 8601). */
  declare readonly timestamp: pulumi.Output<string | undefined>;
  /** Download links of a `download` job (secret). */
  declare readonly deliveryUrl: pulumi.Output<string[]>;
  /** What the source was when the job started: `cluster`, `flex` or `serverless`. */
  declare readonly kind: pulumi.Output<string>;
  /** The API that owns the job: `cluster`, `flex` or `serverless`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input`, `new`, `latest` or `job`. */
  declare readonly snapshotSource: pulumi.Output<string>;
  /** Cluster that receives the data (absent for downloads). */
  declare readonly targetClusterName: pulumi.Output<string | undefined>;
  /** Project of the target (absent for downloads). */
  declare readonly targetGroupId: pulumi.Output<string | undefined>;
  /** Private download links (dedicated clusters; secret). */
  declare readonly privateDownloadDeliveryUrls: pulumi.Output<PrivateDownloadUrl[] | undefined>;
  /** Per replica set of a sharded cluster, with its download links (secret). */
  declare readonly components: pulumi.Output<ClusterRestoreComponent[] | undefined>;

  constructor(name: string, args: ClusterRestoreJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("RestoreJob"), name, {}, opts);
    adopt(this, new restore.RestoreJob(name, args as restore.RestoreJobArgs, { parent: this }));
  }
}

/*
 * The snapshot look-ups. A component provider built with `componentProviderHost` serves no functions,
 * so each look-up is a component whose one output is what the TypeScript function returns; it looks
 * again at every preview and update.
 */

/** Which instance or cluster to look at. */
export interface SnapshotLookupArgs {
  /** Project (group) id. */
  groupId: pulumi.Input<string>;
  /** Name of the serverless instance, Flex cluster or dedicated cluster. */
  clusterName: pulumi.Input<string>;
}

/** Which serverless instance or Flex cluster to look at. */
export interface LatestSnapshotArgs extends SnapshotLookupArgs {
  /** `serverless` (default) or `flex`. */
  api?: pulumi.Input<string>;
}

/** A snapshot of a serverless instance. */
export interface BackupSnapshot {
  /** The snapshot's id. */
  id: string;
  /** When it was taken (ISO 8601). */
  createdAt?: string;
  /** e.g. `completed`. */
  status?: string;
  /** When it expires (ISO 8601). */
  expiresAt?: string;
  /** `scheduled` or `onDemand`. */
  snapshotType?: string;
}

/** A snapshot of a Flex cluster. */
export interface FlexSnapshot {
  /** The snapshot's id. */
  id: string;
  /** e.g. `COMPLETED`. */
  status?: string;
  /** When it finished (ISO 8601). */
  finishTime?: string;
  /** When it started (ISO 8601). */
  startTime?: string;
  /** When it was scheduled (ISO 8601). */
  scheduledTime?: string;
  /** When it expires (ISO 8601). */
  expiration?: string;
}

/** A snapshot of a dedicated cluster (a replica set's, or a sharded cluster's). */
export interface ClusterSnapshot {
  /** The snapshot's id. */
  id: string;
  /** `replicaSet` or `shardedCluster`. */
  type?: string;
  /** e.g. `completed`. */
  status?: string;
  /** `onDemand` or `scheduled`. */
  snapshotType?: string;
  /** How often Atlas takes such snapshots. */
  frequencyType?: string;
  /** The snapshot's description. */
  description?: string;
  /** When it was taken (ISO 8601). */
  createdAt?: string;
  /** When it expires (ISO 8601). */
  expiresAt?: string;
  /** The MongoDB version it was taken with. */
  mongodVersion?: string;
  /** Its size in bytes. */
  storageSizeBytes?: number;
  /** The replica set it is of. */
  replicaSetName?: string;
  /** The cloud provider that stores it. */
  cloudProvider?: string;
  /** The snapshots of a sharded cluster's replica sets. */
  snapshotIds?: string[];
}

/** A completed snapshot, whichever API it came from. */
export interface CompletedSnapshot {
  /** The snapshot's id. */
  id: string;
  /** When it was taken (ISO 8601). */
  takenAt?: string;
}

/** Every snapshot of a serverless instance (`getServerlessSnapshots`). */
export class ServerlessSnapshots extends pulumi.ComponentResource {
  /** The snapshots, all pages. */
  readonly snapshots: pulumi.Output<BackupSnapshot[]>;

  constructor(name: string, args: SnapshotLookupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("ServerlessSnapshots"), name, {}, opts);
    this.snapshots = restore.getServerlessSnapshotsOutput(pulumi.output(args));
  }
}

/** Every snapshot of a Flex cluster (`getFlexSnapshots`). */
export class FlexSnapshots extends pulumi.ComponentResource {
  /** The snapshots, all pages. */
  readonly snapshots: pulumi.Output<FlexSnapshot[]>;

  constructor(name: string, args: SnapshotLookupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("FlexSnapshots"), name, {}, opts);
    this.snapshots = restore.getFlexSnapshotsOutput(pulumi.output(args));
  }
}

/** Every snapshot of a dedicated cluster, whatever its status (`getClusterSnapshots`). */
export class ClusterSnapshots extends pulumi.ComponentResource {
  /** The snapshots, all pages. */
  readonly snapshots: pulumi.Output<ClusterSnapshot[]>;

  constructor(name: string, args: SnapshotLookupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("ClusterSnapshots"), name, {}, opts);
    this.snapshots = restore.getClusterSnapshotsOutput(pulumi.output(args));
  }
}

/** The newest completed snapshot of a serverless instance or Flex cluster (`getLatestSnapshot`). */
export class LatestSnapshot extends pulumi.ComponentResource {
  /** The snapshot; the look-up fails when there is none. */
  readonly snapshot: pulumi.Output<CompletedSnapshot>;

  constructor(name: string, args: LatestSnapshotArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("LatestSnapshot"), name, {}, opts);
    this.snapshot = restore.getLatestSnapshotOutput(
      pulumi.output(args) as pulumi.Output<Parameters<typeof restore.getLatestSnapshot>[0]>,
    );
  }
}

/** The newest completed snapshot of a dedicated cluster (`getLatestClusterSnapshot`). */
export class LatestClusterSnapshot extends pulumi.ComponentResource {
  /** The snapshot; the look-up fails when there is none. */
  readonly snapshot: pulumi.Output<CompletedSnapshot>;

  constructor(name: string, args: SnapshotLookupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("LatestClusterSnapshot"), name, {}, opts);
    this.snapshot = restore.getLatestClusterSnapshotOutput(pulumi.output(args));
  }
}

/** What a source is today, as `RestoreJob` reads it (`getSourceKind`). */
export class SourceKind extends pulumi.ComponentResource {
  /** `cluster` (dedicated), `flex`, or `serverless` for a name the clusters API does not know. */
  readonly kind: pulumi.Output<string>;

  constructor(name: string, args: SnapshotLookupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token("SourceKind"), name, {}, opts);
    this.kind = pulumi.output(args).apply((a) => restore.getSourceKind(a));
  }
}

function token(component: string): string {
  return `${PACKAGE}:index:${component}`;
}

/**
 * Gives a restore's component the outputs of the TypeScript resource inside it, which the component
 * declares under the same names (test/unit/component keeps both lists equal): the schema's outputs are
 * read from the component by those names. Its own URN and Pulumi's internal fields stay its own.
 */
function adopt(component: pulumi.ComponentResource, resource: pulumi.CustomResource): void {
  for (const [key, value] of Object.entries(resource))
    if (key !== "urn" && key !== "id" && !key.startsWith("__") && pulumi.Output.isInstance(value))
      Object.defineProperty(component, key, { value, enumerable: true });
}
