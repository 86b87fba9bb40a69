import * as pulumi from "@pulumi/pulumi";

import { serverlessRestoreJobProvider } from "./provider";
import type { RestoreJobStatus } from "./restore-job-state";

/** Inputs of {@link ServerlessRestoreJob}. Checked at preview, before any API call. */
export interface ServerlessRestoreJobArgs {
  /** Project (group) id of the source serverless instance: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the serverless instance whose snapshot is restored. */
  clusterName: pulumi.Input<string>;
  /**
   * `automated` restores a snapshot into a target instance, `download` prepares download links,
   * `pointInTime` restores the target to a moment in time.
   */
  deliveryType: pulumi.Input<"automated" | "download" | "pointInTime">;
  /**
   * Snapshot to restore (`automated`, `download`). When omitted, the newest completed snapshot at
   * creation time is restored, and `snapshotId` records which one. Not used with `pointInTime`.
   */
  snapshotId?: pulumi.Input<string>;
  /** `pointInTime` only: the moment to restore, in seconds since the epoch; not in the future. */
  pointInTimeUTCSeconds?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogInc`: the oplog timestamp to restore to, in seconds since the epoch. */
  oplogTs?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogTs`: the oplog operation number within that second (from 1). */
  oplogInc?: pulumi.Input<number>;
  /**
   * Instance that receives the data. Required for `automated` and `pointInTime`; for `download` it
   * defaults to the source instance. Equal to the source, it rolls the source back (a warning says so).
   */
  targetClusterName?: pulumi.Input<string>;
  /** Project of the target instance (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /** Wait until the job ends before the resource is created (default: true). */
  waitForCompletion?: pulumi.Input<boolean>;
  /**
   * Longest wait in seconds (default: 10800, three hours). When it passes, the job is recorded in state
   * and the next `pulumi up` resumes waiting; Pulumi's `customTimeouts` do not apply to dynamic resources.
   */
  waitTimeoutSeconds?: pulumi.Input<number>;
  /** Any change to these values starts a new restore, e.g. a date for a nightly refresh. */
  triggers?: pulumi.Input<unknown[]>;
}

/**
 * A restore of a MongoDB Atlas serverless instance's backup, through the Admin API v2. Creating it
 * starts a restore job and, by default, waits for it to finish; deleting it only forgets the job, since
 * Atlas cannot cancel one.
 */
export class ServerlessRestoreJob extends pulumi.dynamic.Resource {
  /** Atlas's id of the restore job. */
  declare readonly restoreJobId: pulumi.Output<string>;
  /** Derived from the job's flags: `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The snapshot restored: the one given, or the newest completed one chosen at creation. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input` when `snapshotId` was given, `latest` when the provider chose the newest snapshot. */
  declare readonly snapshotSource: pulumi.Output<"input" | "latest">;
  /** True when the restore writes into its own source instance. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** The API that owns the job: `serverless`. */
  declare readonly api: pulumi.Output<string>;
  /** Instance that receives the data. */
  declare readonly targetClusterName: pulumi.Output<string>;
  /** Project of the target instance. */
  declare readonly targetGroupId: pulumi.Output<string>;
  /** Whether the job failed. */
  declare readonly failed: pulumi.Output<boolean>;
  /** Whether someone cancelled the job. */
  declare readonly cancelled: pulumi.Output<boolean>;
  /** Whether the job expired. */
  declare readonly expired: pulumi.Output<boolean>;
  /** When the job completed (ISO 8601, UTC). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** When the job, and its download links, expire (ISO 8601, UTC). */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** Time of the snapshot restored (ISO 8601, UTC). */
  declare readonly timestamp: pulumi.Output<string | undefined>;
  /** Download links of a `download` job. A secret: encrypted in state, hidden in output. */
  declare readonly deliveryUrl: pulumi.Output<string[]>;
  /** The oplog point restored to, for `pointInTime` jobs. */
  declare readonly desiredTimestamp: pulumi.Output<{ date?: string; increment?: number } | undefined>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options; `deliveryUrl` is always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: ServerlessRestoreJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serverlessRestoreJobProvider,
      name,
      { ...OUTPUTS, ...args },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "deliveryUrl"] },
      "mongodbatlas",
      "ServerlessRestoreJob",
    );
  }
}

/**
 * Properties the provider computes, seeded so that Pulumi registers them as outputs even when the
 * user leaves the input of the same name out.
 */
const OUTPUTS = {
  restoreJobId: undefined,
  snapshotId: undefined,
  targetClusterName: undefined,
  targetGroupId: undefined,
  status: undefined,
  snapshotSource: undefined,
  targetIsSource: undefined,
  api: undefined,
  failed: undefined,
  cancelled: undefined,
  expired: undefined,
  finishedAt: undefined,
  expiresAt: undefined,
  timestamp: undefined,
  deliveryUrl: undefined,
  desiredTimestamp: undefined,
};
