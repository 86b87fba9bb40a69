import * as pulumi from "@pulumi/pulumi";
import {
  ClusterRestoreJob,
  type ClusterRestoreJobArgs,
  CollectionRestoreJob,
  type CollectionRestoreJobArgs,
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  RestoreJob,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "pulumi-atlas-restore";

// The end-to-end suite's program: `args` is the resource's inputs as JSON, `kind` picks the resource.
// Inputs go through unchanged, bad ones included, so that `check` sees what a user would write.
const config = new pulumi.Config();
const args = config.requireObject<Record<string, unknown>>("args");
const kind = config.get("kind");

const job =
  kind === "flex"
    ? new FlexRestoreJob("restore", args as unknown as FlexRestoreJobArgs)
    : kind === "cluster"
      ? new ClusterRestoreJob("restore", args as unknown as ClusterRestoreJobArgs)
      : kind === "collection"
        ? new CollectionRestoreJob("restore", args as unknown as CollectionRestoreJobArgs)
        : kind === "detect"
          ? new RestoreJob("restore", args as unknown as ClusterRestoreJobArgs)
          : new ServerlessRestoreJob("restore", args as unknown as ServerlessRestoreJobArgs);

export const restoreJobId = job.restoreJobId;
export const status = job.status;
export const snapshotId = job.snapshotId;
export const snapshotSource = job.snapshotSource;
export const api = job.api;
export const targetReady = job.targetReady;
export const sourceKind = "kind" in job ? job.kind : undefined;
export const deliveryUrl = "deliveryUrl" in job ? job.deliveryUrl : undefined;
export const expired = "expired" in job ? job.expired : undefined;
export const components = "components" in job ? job.components : undefined;

// With `dependent` set: a resource that names the restore only in `dependsOn`, and whose create
// records the phase of every job the emulator has at that moment ("restored" means COMPLETED).
const dependentOf: pulumi.dynamic.ResourceProvider = {
  async create(inputs: { baseUrl: string }) {
    const answer = await fetch(`${inputs.baseUrl}/__emulator/jobs`);
    const { jobs } = (await answer.json()) as { jobs: { phase: string }[] };
    return { id: "dependent", outs: { phases: jobs.map((j) => j.phase) } };
  },
};

class Dependent extends pulumi.dynamic.Resource {
  declare readonly phases: pulumi.Output<string[]>;
}

export const phasesSeenByDependent = config.getBoolean("dependent")
  ? new Dependent(
      dependentOf,
      "dependent",
      { baseUrl: new pulumi.Config("mongodbatlas").require("baseUrl"), phases: undefined },
      { dependsOn: [job] },
    ).phases
  : undefined;
