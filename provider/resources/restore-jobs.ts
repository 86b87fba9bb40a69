import * as pulumi from "@pulumi/pulumi";

import type { RestoreJobStatus } from "../restore/job-status";
import { FlaggedRestoreResource, type RestoreJobOptions, RestoreResource } from "./restore-resource";

/** Inputs every restore job resource has: how to wait, and what forces a new restore. */
export interface RestoreJobWaitArgs {
  /**
   * Wait until the job ends before the resource's outputs and URN resolve, so that what depends on it
   * waits too (default: true). The job id is in state either way as soon as Atlas accepts the restore.
   */
  waitForCompletion?: pulumi.Input<boolean>;
  /**
   * Longest wait in seconds (default: 10800, three hours). When it passes, the job is recorded in state
   * and the next `pulumi up` resumes waiting; Pulumi's `customTimeouts` do not apply to dynamic resources.
   */
  waitTimeoutSeconds?: pulumi.Input<number>;
  /**
   * After the job completes, also wait until the target reports `stateName: IDLE`, so that resources
   * depending on this one find a usable database (default: true when the restore writes to a target).
   * Shares `waitTimeoutSeconds`, counted from the job's completion.
   */
  waitForTarget?: pulumi.Input<boolean>;
  /**
   * Attach the resource to a restore job started elsewhere (console, CLI, an earlier run) and wait for
   * it instead of starting one. This is how existing jobs come under management, since `pulumi import`
   * does not work for dynamic resources.
   */
  existingRestoreJobId?: pulumi.Input<string>;
  /** Any change to these values starts a new restore, e.g. a date for a nightly refresh. */
  triggers?: pulumi.Input<unknown[]>;
  /**
   * Check the clone once the job completed and the target is ready: per collection, its documents
   * counted against what is asked, and optionally a query that must match. The outcome is the
   * `verification` output. It runs once per restore job: a later `up` with the same job and the same
   * `verify` connects to nothing; a changed `verify` checks the same restore again, never starting a
   * new one. A failed check fails the step with one line naming the collection and its counts; the
   * restore stays recorded, and the next `up` checks again.
   *
   * The check logs in with a database user of the target's project, from stack config:
   * `atlasRestore:databaseUsername` and, with `--secret`, `atlasRestore:databasePassword` (or per
   * target `atlasRestore:databaseCredentials`), never from inputs or state. It needs the `mongodb`
   * package (an optional peer dependency), a target (not `download`), and `waitForCompletion` and
   * `waitForTarget` left true. Checked at preview, each problem naming its property.
   */
  verify?: pulumi.Input<CloneCheckArgs>;
}

/** A clone check: the collections of the target to look at. */
export interface CloneCheckArgs {
  /** At least one collection, each named once. */
  collections: pulumi.Input<pulumi.Input<CollectionCheckArgs>[]>;
}

/** One collection of a clone check: how many documents it holds, what a query finds, or both. */
export interface CollectionCheckArgs {
  /**
   * The collection on the target, `database.collection`. For a `CollectionRestoreJob`, one of
   * the collections it restores, by its target name; it is read where Atlas landed it (a
   * `CREATE_NEW` that met an existing collection lands in `<collection>_restored`).
   */
  namespace: pulumi.Input<string>;
  /**
   * How many documents it must hold: `{ exactly: n }`, `{ atLeast: n }`, or `{ sameAsSource: true }`
   * (as many as the source had, as Atlas reports it: collection-level restores only).
   */
  documents?: pulumi.Input<{ exactly: number } | { atLeast: number } | { sameAsSource: true }>;
  /**
   * A MongoDB query filter, as JSON (Extended JSON for values JSON cannot hold: `{ "$oid": … }`,
   * `{ "$date": … }`), that must match at least `atLeast` documents (default: 1).
   */
  query?: pulumi.Input<{ filter: Record<string, unknown>; atLeast?: number }>;
}

/** The moment a `pointInTime` restore goes back to: a time, or a point in the oplog. */
export interface PointInTimeArgs {
  /** `pointInTime` only: the moment to restore, in seconds since the epoch; not in the future. */
  pointInTimeUTCSeconds?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogInc`: the oplog timestamp to restore to, in seconds since the epoch. */
  oplogTs?: pulumi.Input<number>;
  /** `pointInTime` only, with `oplogTs`: the oplog operation number within that second (from 1). */
  oplogInc?: pulumi.Input<number>;
}

/** Inputs of {@link ServerlessRestoreJob}. Checked at preview, before any API call. */
export interface ServerlessRestoreJobArgs extends RestoreJobWaitArgs, PointInTimeArgs {
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
  /**
   * Instance that receives the data. Required for `automated` and `pointInTime`; for `download` it
   * defaults to the source instance. Equal to the source, it rolls the source back (a warning says so).
   */
  targetClusterName?: pulumi.Input<string>;
  /** Project of the target instance (default: `groupId`). */
  targetGroupId?: pulumi.Input<string>;
  /**
   * What to do when the serverless API is gone (410, or 404 for an instance that became a Flex
   * cluster at the 2026-01-22 sunset): `flex` (default) restores through the Flex API and warns;
   * `none` fails with Atlas's error. `pointInTime` has no Flex equivalent and always fails then.
   */
  apiFallback?: pulumi.Input<"flex" | "none">;
}

/**
 * A restore of a MongoDB Atlas serverless instance's backup, through the Admin API v2. Creating it
 * starts a restore job and, by default, waits for it to finish; deleting it only forgets the job, since
 * Atlas cannot cancel one.
 *
 * It is one dynamic resource, which starts the job and returns at once (so Pulumi state holds the job
 * id seconds after Atlas accepts it); the program then waits for the job and its target, and the
 * outputs and the URN resolve once it has (so `dependsOn` means restored).
 */
export class ServerlessRestoreJob extends FlaggedRestoreResource {
  /** Derived from the job's flags: `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The snapshot restored: the one given, or the newest completed one chosen at creation. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /**
   * `input` when `snapshotId` was given, `latest` when the provider chose the newest snapshot, `job`
   * when Atlas chose (point in time, or an adopted job).
   */
  declare readonly snapshotSource: pulumi.Output<"input" | "latest" | "job">;
  /** True when the restore writes into its own source instance. */
  declare readonly targetIsSource: pulumi.Output<boolean>;
  /** The API that owns the job: `serverless`, or `flex` after a sunset fallback. */
  declare readonly api: pulumi.Output<string>;
  /** Instance that receives the data. */
  declare readonly targetClusterName: pulumi.Output<string>;
  /** Project of the target instance. */
  declare readonly targetGroupId: pulumi.Output<string>;
  /** The oplog point restored to, for `pointInTime` jobs. */
  declare readonly desiredTimestamp: pulumi.Output<{ date?: string; increment?: number } | undefined>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options; `deliveryUrl` is always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: ServerlessRestoreJobArgs, opts?: RestoreJobOptions) {
    super(
      {
        kind: "serverless",
        type: "ServerlessRestoreJob",
        outputs: SERVERLESS_OUTPUTS,
        secretOutputs: ["deliveryUrl"],
      },
      name,
      args,
      opts,
    );
  }
}

/**
 * The outputs the resource exposes beyond the base classes', read by the program's wait.
 */
const SERVERLESS_OUTPUTS = [
  "snapshotId",
  "targetClusterName",
  "targetGroupId",
  "snapshotSource",
  "targetIsSource",
  "api",
  "desiredTimestamp",
] as const;

/** Inputs of {@link FlexRestoreJob}. Checked at preview, before any API call. */
export interface FlexRestoreJobArgs extends RestoreJobWaitArgs {
  /** Project (group) id of the source flex cluster: 24 hexadecimal characters. */
  groupId: pulumi.Input<string>;
  /** Name of the flex cluster whose snapshot is restored. */
  name: pulumi.Input<string>;
  /** Snapshot to restore; when omitted, the newest completed one at creation, recorded in `snapshotId`. */
  snapshotId?: pulumi.Input<string>;
  /** Flex cluster that receives the data. */
  targetDeploymentItemName: pulumi.Input<string>;
  /** Project of the target cluster (default: `groupId`). */
  targetProjectId?: pulumi.Input<string>;
}

/**
 * A restore of a MongoDB Atlas Flex cluster's snapshot (the successor of serverless restores). Same
 * lifecycle as {@link ServerlessRestoreJob} (the job recorded at once, the program waiting for it):
 * check at preview, wait with progress, the job recorded even when the wait fails,
 * resume on the next `up`, refresh, and forget on delete.
 */
export class FlexRestoreJob extends RestoreResource {
  /** `RUNNING` (Atlas's PENDING, QUEUED or RUNNING), `COMPLETED` or `FAILED`. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The API that owns the job: `flex`. */
  declare readonly api: pulumi.Output<string>;
  /** Atlas's own status: PENDING, QUEUED, RUNNING, FAILED or COMPLETED. */
  declare readonly atlasStatus: pulumi.Output<string | undefined>;
  /** The snapshot restored: the one given, or the newest completed one chosen at creation. */
  declare readonly snapshotId: pulumi.Output<string>;
  /** `input` when `snapshotId` was given, `latest` when the provider chose it, `job` for an adopted job. */
  declare readonly snapshotSource: pulumi.Output<"input" | "latest" | "job">;
  /** `RESTORE` (or `DOWNLOAD` for a download job). */
  declare readonly deliveryType: pulumi.Output<string | undefined>;
  /** Name of the source instance, as Atlas reports it. */
  declare readonly instanceName: pulumi.Output<string | undefined>;
  /** Project the job belongs to. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** Flex cluster that receives the data. */
  declare readonly targetDeploymentItemName: pulumi.Output<string>;
  /** Project of the target cluster. */
  declare readonly targetProjectId: pulumi.Output<string>;
  /** When a download link stops working (ISO 8601, UTC). */
  declare readonly expirationDate: pulumi.Output<string | undefined>;
  /** When Atlas scheduled the restore (ISO 8601, UTC). */
  declare readonly restoreScheduledDate: pulumi.Output<string | undefined>;
  /** When Atlas finished writing the restore (ISO 8601, UTC). */
  declare readonly restoreFinishedDate: pulumi.Output<string | undefined>;
  /** When the snapshot restored was finished (ISO 8601, UTC). */
  declare readonly snapshotFinishedDate: pulumi.Output<string | undefined>;
  /** Download link of a download job. A secret, kept in no state and hidden in output. */
  declare readonly snapshotUrl: pulumi.Output<string | undefined>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options; `snapshotUrl` is always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: FlexRestoreJobArgs, opts?: RestoreJobOptions) {
    super(
      { kind: "flex", type: "FlexRestoreJob", outputs: FLEX_OUTPUTS, secretOutputs: ["snapshotUrl"] },
      name,
      args,
      opts,
    );
  }
}

const FLEX_OUTPUTS = [
  "api",
  "atlasStatus",
  "snapshotId",
  "snapshotSource",
  "deliveryType",
  "instanceName",
  "projectId",
  "targetProjectId",
  "expirationDate",
  "restoreScheduledDate",
  "restoreFinishedDate",
  "snapshotFinishedDate",
  "snapshotUrl",
] as const;
