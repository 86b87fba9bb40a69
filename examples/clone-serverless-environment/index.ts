import * as pulumi from "@pulumi/pulumi";
import {
  type CollectionCheckArgs,
  getLatestSnapshotOutput,
  ServerlessRestoreJob,
} from "pulumi-atlas-restore";

// Clone production data into staging: one restore per instance pair, from the production project into
// the staging project. Each restore uses the newest completed snapshot, looked up at every `up`, so a
// newer snapshot means a new restore; `refreshDate` (e.g. today's date set by a nightly job) forces one
// even when no newer snapshot exists. Since the serverless sunset (2026-01-22) Atlas serves each instance
// as the Flex cluster it became: the look-up then reads that cluster's snapshots and each restore goes
// through the Flex API, both with a warning.
const config = new pulumi.Config();
const productionProject = config.require("productionGroupId");
const stagingProject = config.require("stagingGroupId");
const pairs = config.getObject<Record<string, string>>("pairs") ?? { "prod-orders": "staging-orders" };
const refreshDate = config.get("refreshDate") ?? "initial";

// Each clone is checked once per restore, as the staging project's database user (stack config
// `atlasRestore:databaseUsername`, and with `--secret` `atlasRestore:databasePassword`): the orders
// are there, and so are customers with an email address.
const checks = config.getObject<CollectionCheckArgs[]>("checks") ?? [
  { namespace: "orders.orders", documents: { atLeast: 1 } },
  { namespace: "orders.customers", query: { filter: { email: { $exists: true } } } },
];

const clones = Object.entries(pairs).map(
  ([production, staging]) =>
    new ServerlessRestoreJob(`clone-${production}`, {
      groupId: productionProject,
      clusterName: production,
      deliveryType: "automated",
      snapshotId: getLatestSnapshotOutput({ groupId: productionProject, clusterName: production }).id,
      targetGroupId: stagingProject,
      targetClusterName: staging,
      triggers: [refreshDate],
      verify: { collections: checks },
    }),
);

export const restoreJobIds = clones.map((job) => job.restoreJobId);
export const statuses = clones.map((job) => job.status);
export const snapshotIds = clones.map((job) => job.snapshotId);
export const verifications = clones.map((job) => job.verification);
