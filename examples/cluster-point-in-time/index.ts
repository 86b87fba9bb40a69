import * as pulumi from "@pulumi/pulumi";
import { ClusterRestoreJob } from "pulumi-atlas-restore";

// Roll a copy of a dedicated cluster back to a moment: Atlas restores the snapshot taken before it and
// replays the oplog up to that moment. The source needs continuous cloud backup, and the moment must be
// inside its restore window. Give the moment in seconds (`pointInTimeUTCSeconds`) or as an oplog point
// (`oplogTs` with `oplogInc`). Changing it replaces the resource, i.e. starts a new restore; the target's
// current data is erased first.
const config = new pulumi.Config();
const oplogTs = config.getNumber("oplogTs");
const moment = oplogTs
  ? { oplogTs, oplogInc: config.getNumber("oplogInc") ?? 1 }
  : { pointInTimeUTCSeconds: config.requireNumber("pointInTimeUTCSeconds") };

const groupId = config.require("groupId");

const restore = new ClusterRestoreJob("cluster-at-moment", {
  groupId,
  clusterName: config.get("sourceCluster") ?? "prod-cluster",
  deliveryType: "pointInTime",
  ...moment,
  targetGroupId: config.get("targetGroupId") ?? groupId,
  targetClusterName: config.require("targetCluster"),
});

export const restoreJobId = restore.restoreJobId;
export const status = restore.status;
export const desiredTimestamp = restore.desiredTimestamp;
export const targetReady = restore.targetReady;
