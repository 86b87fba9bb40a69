import * as pulumi from "@pulumi/pulumi";

import type { RestoreJobStatus } from "../restore/job-status";
import type { PointInTimeArgs, RestoreJobWaitArgs } from "./restore-jobs";
import { FlaggedRestoreResource, type RestoreJobOptions } from "./restore-resource";

/** Download links reachable through a private endpoint (AWS PrivateLink). */
export interface PrivateDownloadUrl {
  /** The private link. */
  deliveryUrl?: string;
  /** The private endpoint it is reachable through, `vpce-` and 17 hexadecimal characters. */
  endpointId?: string;
}

/** One replica set of a sharded cluster's restore, with its own download links. */
export interface ClusterRestoreComponent {
  /** Name of the replica set (shard or config server). */
  replicaSetName?: string;
  /** Download link of this replica set's data (`download` jobs). */
  downloadUrl?: string;
  /** Private download links of this replica set. */
  privateDownloadDeliveryUrls: PrivateDownloadUrl[];
}

/** Inputs of {@link ClusterRestoreJob}. Every rule between them is checked at preview, before any API call. */
export interface ClusterRestoreJobArgs extends RestoreJobWaitArgs, PointInTimeArgs {
  /** Project (group) id of the source cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the dedicated cluster (M10 and up) whose backup is restored. */
  clusterName: pulumi.Input<string>;
  /**
   * `automated` restores a snapshot into a target cluster, `download` prepares download links (no
   * target), `pointInTime` restores the target to a moment, replaying the oplog. `automated` and
   * `pointInTime` **erase all data on the target** first.
   */
  deliveryType: pulumi.Input<"automated" | "download" | "pointInTime">;
  /**
   * Snapshot to restore (`automated`, `download`). When omitted (and no `takeSnapshot`), the newest
   * completed snapshot at creation is restored and recorded in `snapshotId`. Not used with `pointInTime`,
   * where Atlas picks the snapshot to start from.
   */
  snapshotId?: pulumi.Input<string>;
  /**
   * Take an on-demand snapshot of the source first, wait until it is `completed`, and restore exactly
   * that snapshot: "clone production as it is now". Its id is recorded in `snapshotId`, so later runs
   * take no other; a new snapshot is taken only when the resource is replaced (e.g. a `triggers`
   * change). `{}` keeps Atlas's defaults. Not with `snapshotId` or `pointInTime`. The provider always
   * waits for the snapshot (sharing `waitTimeoutSeconds`), even with `waitForCompletion: false`.
   */
  takeSnapshot?: pulumi.Input<{
    /** Days Atlas keeps the snapshot, from 1 (default: Atlas's). */
    retentionInDays?: pulumi.Input<number>;
    /**
     * The snapshot's description (default: `pulumi-atlas-restore: for a restore into <target>`). It is
     * also how an interrupted run recognises the snapshot it took.
     */
    description?: pulumi.Input<string>;
  }>;
  /**
   * Cluster that receives the data: required for `automated` and `pointInTime`, not used with
   * `download`. Equal to the source, it rolls the source back (a warning says so).
   */
  targetClusterName?: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`); not used with `download`. */
  targetGroupId?: pulumi.Input<string>;
  /**
   * What `pulumi destroy` (and a replacement) does with the job (default: `forget`). `forget` only
   * removes it from the stack. `cancel` asks Atlas to cancel a download job that is still running and
   * waits until it reports `cancelled`; a job that already ended, one Atlas will not cancel (405, as for
   * sharded clusters), and every automated or point-in-time restore (Atlas cancels downloads only) are
   * forgotten with a message. Neither ever deletes a cluster or a snapshot.
   */
  onDestroy?: pulumi.Input<"forget" | "cancel">;
}

/**
 * A restore of a MongoDB Atlas dedicated cluster's backup (M10 and up), through the Admin API v2.
 * Creating it chooses or takes a snapshot, starts the job and, by default, waits for it and then for
 * the target to be IDLE; the job is recorded even when a wait fails, and the next `up` resumes it.
 */
export class ClusterRestoreJob extends FlaggedRestoreResource {
  /**
   * Derived from the job's flags by the Atlas CLI's rule: `FAILED`, `CANCELLED`, `EXPIRED`, `COMPLETED`
   * once `finishedAt` is set (or a download has its links), otherwise `RUNNING`.
   */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The kind of source: `cluster`. */
  declare readonly kind: pulumi.Output<string>;
  /** The API that owns the job: `cluster`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored: given, taken on demand, the newest at creation, or chosen by Atlas. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /**
   * `input` when `snapshotId` was given, `new` when taken on demand (`takeSnapshot`), `latest` when the
   * provider chose the newest, `job` when Atlas chose (point in time, or an adopted job).
   */
  declare readonly snapshotSource: pulumi.Output<"input" | "new" | "latest" | "job">;
  /** True when the restore writes into its own source cluster. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** `automated`, `download` or `pointInTime`. */
  declare readonly deliveryType: pulumi.Output<string>;
  /** Cluster that receives the data (absent for downloads). */
  declare readonly targetClusterName: pulumi.Output<string | undefined>;
  /** Project of the target cluster (absent for downloads). */
  declare readonly targetGroupId: pulumi.Output<string | undefined>;
  /** The target's name as Atlas reports it beside `targetClusterName` (not in the OpenAPI). */
  declare readonly targetDeploymentItemName: pulumi.Output<string | undefined>;
  /** The moment restored (`pointInTime`). */
  declare readonly pointInTimeUTCSeconds: pulumi.Output<number | undefined>;
  /** The oplog timestamp restored to (`pointInTime`). */
  declare readonly oplogTs: pulumi.Output<number | undefined>;
  /** The oplog increment restored to (`pointInTime`). */
  declare readonly oplogInc: pulumi.Output<number | undefined>;
  /** The oplog point restored to, once Atlas knows it. */
  declare readonly desiredTimestamp: pulumi.Output<{ date?: string; increment?: number } | undefined>;
  /** Download links through private endpoints. A secret. */
  declare readonly privateDownloadDeliveryUrls: pulumi.Output<PrivateDownloadUrl[]>;
  /** Per replica set of a sharded cluster, with each one's download links. A secret. */
  declare readonly components: pulumi.Output<ClusterRestoreComponent[]>;
  /** Atlas's links to the job, its snapshot, cluster and project. */
  declare readonly links: pulumi.Output<{ rel?: string; href?: string }[] | undefined>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options; the download links are always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: ClusterRestoreJobArgs, opts?: RestoreJobOptions) {
    super(
      {
        kind: "cluster",
        type: "ClusterRestoreJob",
        outputs: CLUSTER_OUTPUTS,
        secretOutputs: CLUSTER_SECRETS,
      },
      name,
      args,
      opts,
    );
  }
}

/** The outputs holding download links (kept equal to the provider's list by a test). */
export const CLUSTER_SECRETS = ["deliveryUrl", "privateDownloadDeliveryUrls", "components"];

/** Properties the provider computes, seeded so that Pulumi registers them as outputs. */
const CLUSTER_OUTPUTS = [
  "kind",
  "api",
  "snapshotId",
  "snapshotSource",
  "targetIsSource",
  "targetClusterName",
  "targetGroupId",
  "targetDeploymentItemName",
  "pointInTimeUTCSeconds",
  "oplogTs",
  "oplogInc",
  "desiredTimestamp",
  "privateDownloadDeliveryUrls",
  "components",
  "links",
];
