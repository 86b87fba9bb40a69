import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// Restore the newest completed snapshot of one serverless instance into another and wait for it.
// Credentials come from stack config (`mongodbatlas:clientId`/`clientSecret`, set with --secret) or
// the environment; `npm run demo` points this program at the local emulator.
const config = new pulumi.Config();

const restore = new ServerlessRestoreJob("orders-into-staging", {
  groupId: config.require("groupId"),
  clusterName: config.get("sourceInstance") ?? "prod-orders",
  deliveryType: "automated",
  targetClusterName: config.get("targetInstance") ?? "staging-orders",
});

export const restoreJobId = restore.restoreJobId;
export const status = restore.status;
export const snapshotId = restore.snapshotId;
export const snapshotTimestamp = restore.timestamp;
export const finishedAt = restore.finishedAt;
