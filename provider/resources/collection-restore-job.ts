import * as pulumi from "@pulumi/pulumi";

import { type CollectionSummary, COMPLETED_BY_RECORD } from "../kinds/collection/outputs";
import type { RestoreJobStatus } from "../restore/job-status";
import type { RestoreJobWaitArgs } from "./restore-jobs";
import { type RestoreJobOptions, RestoreResource } from "./restore-resource";

/**
 * A database or collection to restore. Databases are named `db`, collections `db.collection`; the
 * target is in the same form and defaults to the source (with `databaseSuffix`/`collectionSuffix`).
 */
export interface RestoreNamespaceArgs {
  /** The database (`orders`) or collection (`orders.customers`) in the snapshot. */
  sourceNamespace: pulumi.Input<string>;
  /** Where it goes on the target cluster, in the same form (default: the source, with the suffixes). */
  targetNamespace?: pulumi.Input<string>;
}

/** One collection of a collection restore job, as its `/collections` sub-resource reports it. */
export type CollectionRestoreSummary = CollectionSummary;

/** Inputs of {@link CollectionRestoreJob}. Every rule between them is checked at preview, before any API call. */
export interface CollectionRestoreJobArgs extends RestoreJobWaitArgs {
  /** Project (group) id of the source cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the dedicated cluster whose backup holds the databases and collections. */
  clusterName: pulumi.Input<string>;
  /** Cluster that receives them; the source cluster itself is allowed (a rollback of those namespaces). */
  targetClusterName: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /**
   * Whole databases to restore (`sourceNamespace: "orders"`), at most 100. With `collections`, at least
   * one entry in all.
   */
  databases?: pulumi.Input<pulumi.Input<RestoreNamespaceArgs>[]>;
  /** Collections to restore (`sourceNamespace: "orders.customers"`), at most 100. */
  collections?: pulumi.Input<pulumi.Input<RestoreNamespaceArgs>[]>;
  /** Appended to each target database name that is not given explicitly, e.g. `_restored`. */
  databaseSuffix?: pulumi.Input<string>;
  /** Appended to each target collection name that is not given explicitly. */
  collectionSuffix?: pulumi.Input<string>;
  /**
   * `CREATE_NEW` (default) writes into new namespaces and never touches existing data.
   * `OVERWRITE_EXISTING` **drops and replaces** the target namespaces, so writes made to them meanwhile
   * are lost; into the source cluster it rolls those namespaces back, and a warning says so at preview.
   */
  writeStrategy?: pulumi.Input<"CREATE_NEW" | "OVERWRITE_EXISTING">;
  /** Which indexes are built on the target: `ALL` (default), `NONE` or `ALL_EXCEPT_TTL`. */
  indexStrategy?: pulumi.Input<"ALL" | "NONE" | "ALL_EXCEPT_TTL">;
  /**
   * Snapshot to restore from. Without it and without a point in time, the newest completed snapshot at
   * creation is used and recorded in `snapshotId`. Not with a point in time.
   */
  snapshotId?: pulumi.Input<string>;
  /**
   * Restore the collections as they were at this moment, in seconds since the epoch (within the
   * cluster's continuous-backup window; not in the future). Spelled `Utc`, as this API spells it. Not
   * with `snapshotId` or `oplogTs`.
   */
  pointInTimeUtcSeconds?: pulumi.Input<number>;
  /** With `oplogInc`: the oplog timestamp to restore to, in seconds since the epoch. */
  oplogTs?: pulumi.Input<number>;
  /** With `oplogTs`: the oplog operation number within that second (from 1). */
  oplogInc?: pulumi.Input<number>;
  /**
   * Whether a partial success counts as success (default: false). A job can end SUCCESSFUL with some
   * collections NOT_FOUND, ROLLBACK, INDEX_BUILD_FAILED (data copied, indexes not), UNSUPPORTED,
   * NOT_RESTORED or FAILED. By default that fails the step, naming those collections; the job is
   * recorded either way, and setting this to true on a later `up` accepts it without restoring again.
   */
  allowPartial?: pulumi.Input<boolean>;
}

/**
 * A collection-level restore of a MongoDB Atlas dedicated cluster's backup (API version 2025-03-12):
 * chosen databases and collections copied into a cluster, optionally under new names. Creating it
 * starts the job at most once (adopting the same restore if it already runs; waiting for a different
 * one, since Atlas runs one per cluster at a time), waits with progress in documents, and records the
 * job even when a wait fails, so the next `up` resumes it. Atlas has no cancel for these jobs:
 * `pulumi destroy` only forgets the job and never deletes restored data.
 */
export class CollectionRestoreJob extends RestoreResource {
  /** From `state`: `RUNNING`, then `COMPLETED` (SUCCESSFUL), `FAILED` or `CANCELLED` (CANCELED). */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The job's own state: INITIALIZING, IN_PROGRESS, FINALIZING, SUCCESSFUL, CANCELED or FAILED. */
  declare readonly state: pulumi.Output<string>;
  /** The kind of restore: `collection`. */
  declare readonly kind: pulumi.Output<string>;
  /** The API that owns the job: `collection`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored from: given, the newest at creation, or chosen by Atlas for a point in time. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input` when `snapshotId` was given, `latest` when the provider chose the newest, `job` when Atlas chose. */
  declare readonly snapshotSource: pulumi.Output<"input" | "latest" | "job">;
  /** True when the restore writes into its own source cluster. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** When Atlas created the job (ISO 8601, UTC). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the job ended (ISO 8601, UTC). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** Why the job failed or was cancelled. */
  declare readonly errorMessage: pulumi.Output<string | undefined>;
  /** Documents copied so far, over every collection. */
  declare readonly restoredDocuments: pulumi.Output<number>;
  /** Documents to copy; at first Atlas may only estimate it. */
  declare readonly totalDocuments: pulumi.Output<number>;
  /** `restoredDocuments` as a whole percentage of `totalDocuments`. */
  declare readonly percentRestored: pulumi.Output<number>;
  /** The index build as a whole: `state` and `failedCollectionCount`. */
  declare readonly indexStatus: pulumi.Output<{ state?: string; failedCollectionCount?: number }>;
  /** One entry per collection: source, effective target namespace, state and documents. */
  declare readonly collectionStates: pulumi.Output<CollectionRestoreSummary[]>;
  /** The collections that ended unrestored, as `orders.audit (INDEX_BUILD_FAILED)`. */
  declare readonly unrestoredCollections: pulumi.Output<string[]>;
  /** True when the job ended SUCCESSFUL with some collections unrestored (see `allowPartial`). */
  declare readonly partial: pulumi.Output<boolean>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options.
   */
  constructor(name: string, args: CollectionRestoreJobArgs, opts?: RestoreJobOptions) {
    super(
      {
        kind: "collection",
        type: "CollectionRestoreJob",
        outputs: COLLECTION_OUTPUTS,
        secretOutputs: [],
        completedByRecord: COMPLETED_BY_RECORD,
      },
      name,
      args,
      opts,
    );
  }
}

/** Properties the provider computes, seeded so that Pulumi registers them as outputs. */
export const COLLECTION_OUTPUTS = [
  "state",
  "kind",
  "api",
  "snapshotId",
  "snapshotSource",
  "targetIsSource",
  "createdAt",
  "finishedAt",
  "errorMessage",
  "restoredDocuments",
  "totalDocuments",
  "percentRestored",
  "indexStatus",
  ...COMPLETED_BY_RECORD,
];
