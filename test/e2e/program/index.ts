import * as pulumi from "@pulumi/pulumi";
import {
  FlexRestoreJob,
  type FlexRestoreJobArgs,
  ServerlessRestoreJob,
  type ServerlessRestoreJobArgs,
} from "pulumi-atlas-restore";

// The end-to-end suite's program: `args` is the resource's inputs as JSON, `kind` picks the resource.
// Inputs go through unchanged, bad ones included, so that `check` sees what a user would write.
const config = new pulumi.Config();
const args = config.requireObject<Record<string, unknown>>("args");

const job =
  config.get("kind") === "flex"
    ? new FlexRestoreJob("restore", args as unknown as FlexRestoreJobArgs)
    : new ServerlessRestoreJob("restore", args as unknown as ServerlessRestoreJobArgs);

export const restoreJobId = job.restoreJobId;
export const status = job.status;
export const snapshotId = job.snapshotId;
export const snapshotSource = job.snapshotSource;
export const api = job.api;
export const targetReady = job.targetReady;
