import * as pulumi from "@pulumi/pulumi";
import { ClusterRestoreJob, type CollectionCheckArgs } from "pulumi-atlas-restore";

// Clone production as it is now into staging. For each pair of dedicated clusters, take an on-demand
// snapshot of the production cluster, wait until it is completed, restore exactly that snapshot into
// its staging twin in the staging project, wait until the twin is IDLE again, and check the clone. The
// snapshot's id is recorded: running `up` again changes nothing. A new `refreshDate` (e.g. today's
// date, set by a nightly job) takes a new snapshot and restores again.
const config = new pulumi.Config();
const productionProject = config.require("productionGroupId");
const stagingProject = config.require("stagingGroupId");
const pairs = config.getObject<Record<string, string>>("pairs") ?? { "prod-cluster": "staging-cluster" };
const refreshDate = config.get("refreshDate") ?? "initial";

// What the tests run on staging need: the collections hold documents. The check runs once per
// restore, as the staging project's database user (`pulumi config set atlasRestore:databaseUsername
// app` and `pulumi config set --secret atlasRestore:databasePassword …`); a failed one fails `up`,
// naming the collection and its counts.
const checks = config.getObject<CollectionCheckArgs[]>("checks") ?? [
  { namespace: "orders.orders", documents: { atLeast: 1 } },
  { namespace: "orders.customers", documents: { atLeast: 1 } },
  { namespace: "inventory.items", query: { filter: { n: { $gte: 1 } } } },
];

const clones = Object.entries(pairs).map(
  ([production, staging]) =>
    new ClusterRestoreJob(`clone-${production}`, {
      groupId: productionProject,
      clusterName: production,
      deliveryType: "automated",
      // Staging only needs the snapshot until the restore is done; a day is plenty.
      takeSnapshot: { retentionInDays: 1 },
      targetGroupId: stagingProject,
      targetClusterName: staging,
      triggers: [refreshDate],
      // Destroying the stack while a clone still runs stops it rather than leaving it to finish.
      onDestroy: "cancel",
      verify: { collections: checks },
    }),
);

export const restoreJobIds = clones.map((job) => job.restoreJobId);
export const statuses = clones.map((job) => job.status);
export const snapshotIds = clones.map((job) => job.snapshotId);
export const snapshotSources = clones.map((job) => job.snapshotSource);
export const targetsReady = clones.map((job) => job.targetReady);
export const verifications = clones.map((job) => job.verification);
