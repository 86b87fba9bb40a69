import * as pulumi from "@pulumi/pulumi";
import { FlexRestoreJob } from "pulumi-atlas-restore";

// Flex clusters are the successors of serverless instances. The restore waits for the job and then for
// the target to report IDLE, so anything depending on it sees a usable database.
const config = new pulumi.Config();

const restore = new FlexRestoreJob("orders-into-staging", {
  groupId: config.require("groupId"),
  name: config.get("sourceCluster") ?? "prod-orders",
  targetDeploymentItemName: config.get("targetCluster") ?? "staging-orders",
});

export const restoreJobId = restore.restoreJobId;
export const status = restore.status;
export const atlasStatus = restore.atlasStatus;
export const snapshotId = restore.snapshotId;
export const restoreFinishedDate = restore.restoreFinishedDate;
