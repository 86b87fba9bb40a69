import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// Written for the serverless API, still working after its 2026-01-22 sunset: when Atlas answers that
// the serverless endpoint is gone and a Flex cluster of the same name exists, the restore goes through
// the Flex API with a warning, and `api` records "flex". FlexRestoreJob is the migration path.
const config = new pulumi.Config();

const restore = new ServerlessRestoreJob("orders-into-staging", {
  groupId: config.require("groupId"),
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
  apiFallback: "flex",
});

export const restoreJobId = restore.restoreJobId;
export const status = restore.status;
export const api = restore.api;
