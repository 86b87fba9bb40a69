import * as pulumi from "@pulumi/pulumi";

import { detectSourceKind, type SourceKind } from "../detection/source-kind";
import type { RestoreJobStatus } from "../restore/job-status";
import {
  CLUSTER_SECRETS,
  type ClusterRestoreComponent,
  type ClusterRestoreJobArgs,
  type PrivateDownloadUrl,
} from "./cluster-restore-job";
import { FlaggedRestoreResource, type RestoreJobOptions } from "./restore-resource";
import { lookUp, type SnapshotLookupArgs } from "./snapshot-lookups";

/**
 * What a source is today, read the way {@link RestoreJob} reads it: `cluster` (dedicated), `flex`, or
 * `serverless` for a name the clusters API does not know. Runs in the program, with the provider's
 * credential rules; a failure rejects with a one-line `SnapshotLookupError`.
 */
export function getSourceKind(args: SnapshotLookupArgs): Promise<SourceKind> {
  return lookUp(`the kind of ${args.clusterName} in project ${args.groupId}`, (client) =>
    detectSourceKind(client, args.groupId, args.clusterName),
  );
}

/**
 * Inputs of {@link RestoreJob}: those of {@link ClusterRestoreJob}, whatever the source's kind. What a
 * kind cannot do fails the `up` before anything starts: `pointInTime` on a Flex cluster, `takeSnapshot`
 * on Flex or serverless. `onDestroy: "cancel"` only cancels dedicated-cluster jobs (the others have
 * no cancel in Atlas, and are forgotten with a warning).
 */
export type RestoreJobArgs = ClusterRestoreJobArgs;

/**
 * A restore of whatever the source is today. At creation it reads the source through the clusters
 * API, as the Atlas CLI does: a dedicated cluster is restored like a {@link ClusterRestoreJob}; a name
 * the clusters API refuses as a Flex cluster (`CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API`), or does not
 * know, goes through the serverless path and its Flex fallback (see {@link ServerlessRestoreJob}). The
 * kind found is recorded in `kind`, so a program written once keeps working as Atlas moves clusters
 * between kinds; a replacement (new `triggers`) looks again.
 */
export class RestoreJob extends FlaggedRestoreResource {
  /** What the source was when the job started: `cluster` (dedicated), `flex` or `serverless`. */
  declare readonly kind: pulumi.Output<"cluster" | "flex" | "serverless">;
  /** `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `EXPIRED`. */
  declare readonly status: pulumi.Output<RestoreJobStatus>;
  /** The API that owns the job: `cluster`, `flex` or `serverless`. */
  declare readonly api: pulumi.Output<string>;
  /** The snapshot restored. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** `input`, `new` (taken on demand), `latest` (chosen by the provider) or `job` (chosen by Atlas). */
  declare readonly snapshotSource: pulumi.Output<"input" | "new" | "latest" | "job">;
  /** Cluster that receives the data (absent for downloads). */
  declare readonly targetClusterName: pulumi.Output<string | undefined>;
  /** Project of the target (absent for downloads). */
  declare readonly targetGroupId: pulumi.Output<string | undefined>;
  /** Private download links (dedicated clusters). A secret. */
  declare readonly privateDownloadDeliveryUrls: pulumi.Output<PrivateDownloadUrl[] | undefined>;
  /** Per replica set of a sharded cluster, with its download links (dedicated clusters). A secret. */
  declare readonly components: pulumi.Output<ClusterRestoreComponent[] | undefined>;

  /**
   * @param name The resource's name in the stack.
   * @param args What to restore and where.
   * @param opts Pulumi resource options; the download links are always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: RestoreJobArgs, opts?: RestoreJobOptions) {
    super(
      { kind: "detecting", type: "RestoreJob", outputs: DETECTED_OUTPUTS, secretOutputs: CLUSTER_SECRETS },
      name,
      args,
      opts,
    );
  }
}

const DETECTED_OUTPUTS = [
  "kind",
  "api",
  "snapshotId",
  "snapshotSource",
  "targetClusterName",
  "targetGroupId",
  "privateDownloadDeliveryUrls",
  "components",
];
