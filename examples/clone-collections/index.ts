import * as pulumi from "@pulumi/pulumi";
import { CollectionRestoreJob } from "pulumi-atlas-restore";

// Copy part of production, not all of it: the orders and customers collections of the production
// cluster's newest snapshot go into the staging cluster (another project) as `orders_staging.*`, so
// they sit beside whatever staging already holds. CREATE_NEW never overwrites existing data. Each copy
// is checked against the source's documents as Atlas counted them, once per restore, as the staging
// project's database user (`atlasRestore:databaseUsername`, and with `--secret`
// `atlasRestore:databasePassword`, in stack config). Running `up` again changes nothing; a new
// `refreshDate` copies them again from the then newest snapshot.
const config = new pulumi.Config();
const productionProject = config.require("productionGroupId");
const stagingProject = config.require("stagingGroupId");
const refreshDate = config.get("refreshDate") ?? "initial";

const copy = new CollectionRestoreJob("orders-into-staging", {
  groupId: productionProject,
  clusterName: config.get("productionCluster") ?? "prod-cluster",
  targetGroupId: stagingProject,
  targetClusterName: config.get("stagingCluster") ?? "staging-cluster",
  collections: [
    { sourceNamespace: "orders.orders", targetNamespace: "orders_staging.orders" },
    { sourceNamespace: "orders.customers", targetNamespace: "orders_staging.customers" },
  ],
  writeStrategy: "CREATE_NEW",
  indexStrategy: "ALL",
  triggers: [refreshDate],
  // A collection left unrestored (e.g. its indexes failed to build) fails `up` unless this is true.
  allowPartial: config.getBoolean("allowPartial") ?? false,
  // Named as asked; read where Atlas landed them (`orders_restored` when CREATE_NEW met a collection).
  verify: {
    collections: [
      { namespace: "orders_staging.orders", documents: { sameAsSource: true } },
      { namespace: "orders_staging.customers", documents: { sameAsSource: true } },
    ],
  },
});

export const restoreJobId = copy.restoreJobId;
export const status = copy.status;
export const state = copy.state;
export const snapshotId = copy.snapshotId;
export const unrestored = copy.unrestoredCollections;
export const documents = pulumi.interpolate`${copy.restoredDocuments} of ${copy.totalDocuments}`;
export const collections = copy.collectionStates.apply((states) =>
  states.map((s) => `${s.sourceNamespace} -> ${s.effectiveTargetNamespace}: ${s.state}`),
);
export const verified = copy.verification.apply((v) =>
  v?.collections.map((c) => `${c.namespace}: ${c.found} documents, ${c.expected}`),
);
