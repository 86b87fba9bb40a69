import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// Restore the target to a moment in time: seconds since the epoch, not in the future and inside the
// source's restore window, e.g. `pulumi config set pointInTimeUTCSeconds $(( $(date +%s) - 3600 ))`.
// It is config, not "an hour ago" in code, because changing the moment replaces the resource, i.e.
// starts a new restore.
const config = new pulumi.Config();
const moment = config.requireNumber("pointInTimeUTCSeconds");

const restore = new ServerlessRestoreJob("orders-at-moment", {
  groupId: config.require("groupId"),
  clusterName: config.get("sourceInstance") ?? "prod-orders",
  deliveryType: "pointInTime",
  pointInTimeUTCSeconds: moment,
  targetClusterName: config.get("targetInstance") ?? "staging-orders",
});

export const restoreJobId = restore.restoreJobId;
export const status = restore.status;
export const desiredTimestamp = restore.desiredTimestamp;
