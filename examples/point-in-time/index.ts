import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// Restore the target to a moment in time: seconds since the epoch, not in the future and inside the
// source's restore window, e.g. `pulumi config set pointInTimeUTCSeconds $(( $(date +%s) - 3600 ))`.
// It is config, not "an hour ago" in code, because changing the moment replaces the resource, i.e.
// starts a new restore.
//
// This needs the serverless API, which Atlas sunset on 2026-01-22: the Flex clusters serverless
// instances became have no point-in-time restore, so on Atlas today this fails before starting anything
// ("pointInTime restores have no Flex equivalent"). Run it against the emulator with the serverless API
// on (`npm run emulator -- --sunset off`); for a dedicated cluster, see ../cluster-point-in-time.
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
