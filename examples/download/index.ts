import * as pulumi from "@pulumi/pulumi";
import { ServerlessRestoreJob } from "pulumi-atlas-restore";

// A download restore writes to no instance: Atlas prepares links to the snapshot's files. The links
// are secrets: kept in no resource's state, encrypted in the stack's outputs when exported as here,
// and shown as [secret] unless asked for with --show-secrets.
const config = new pulumi.Config();

const download = new ServerlessRestoreJob("orders-download", {
  groupId: config.require("groupId"),
  clusterName: config.get("instance") ?? "prod-orders",
  deliveryType: "download",
});

export const restoreJobId = download.restoreJobId;
export const status = download.status;
export const expiresAt = download.expiresAt;
export const deliveryUrl = download.deliveryUrl;
