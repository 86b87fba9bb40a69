import assert from "node:assert";

import { clusterSpec } from "../../../provider/kinds/cluster/spec";
import { collectionSpec } from "../../../provider/kinds/collection/spec";
import { flexSpec } from "../../../provider/kinds/flex/spec";
import { serverlessSpec } from "../../../provider/kinds/serverless/spec";
import { createLifecycles } from "../../../provider/restore/lifecycle";
import { fakeClock } from "../../helpers/fakes";

/**
 * A corpus of invalid inputs for every resource kind. Each must be rejected by `check` with a failure
 * naming the property, none may reach the network (there is no session to reach it with), none may
 * crash the provider, and no failure may repeat the value it rejects.
 */

const noSession = () => {
  throw new Error("check must not need a session");
};
const clock = fakeClock(Date.UTC(2026, 10, 28, 12));
const serverless = createLifecycles(serverlessSpec, noSession, clock).start;
const flex = createLifecycles(flexSpec, noSession, clock).start;
const cluster = createLifecycles(clusterSpec, noSession, clock).start;
const collection = createLifecycles(collectionSpec, noSession, clock).start;
const lifecycles = { serverless, flex, cluster, collection };

const G = "0123456789abcdef01234567";
const NOW = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);
const S = { groupId: G, clusterName: "prod", deliveryType: "automated", targetClusterName: "stage" };
const F = { groupId: G, name: "prod", targetDeploymentItemName: "stage" };
const PIT = { ...S, deliveryType: "pointInTime" };
const D = { groupId: G, clusterName: "prod", deliveryType: "automated", targetClusterName: "stage" };
const DPIT = { ...D, deliveryType: "pointInTime" };
const DOWNLOAD = { groupId: G, clusterName: "prod", deliveryType: "download" };
const C = {
  groupId: G,
  clusterName: "prod",
  targetClusterName: "stage",
  collections: [{ sourceNamespace: "orders.orders", targetNamespace: "copy.orders" }],
};
const ns = (sourceNamespace: unknown, targetNamespace?: unknown) =>
  targetNamespace === undefined ? { sourceNamespace } : { sourceNamespace, targetNamespace };
const many = (n: number, name: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({ sourceNamespace: name(i) }));
const SECRET = "mdb_sa_sk_0123456789abcdefSECRET";
const PRIVATE_KEY = "0a1b2c3d-aaaa-4bbb-8ccc-0123456789ab";
const huge = "a".repeat(10_000);

/** [title, resource, inputs, property the failure must name] */
const corpus: [string, keyof typeof lifecycles, Record<string, unknown>, string][] = [
  ["missing groupId", "serverless", { ...S, groupId: undefined }, "groupId"],
  ["groupId as a number", "serverless", { ...S, groupId: 42 }, "groupId"],
  ["groupId empty", "serverless", { ...S, groupId: "" }, "groupId"],
  ["groupId upper case", "serverless", { ...S, groupId: G.toUpperCase() }, "groupId"],
  ["groupId too short", "serverless", { ...S, groupId: "abc" }, "groupId"],
  ["groupId too long", "serverless", { ...S, groupId: `${G}0` }, "groupId"],
  ["a client secret as groupId", "serverless", { ...S, groupId: SECRET }, "groupId"],
  ["a private key as groupId", "serverless", { ...S, groupId: PRIVATE_KEY }, "groupId"],
  ["groupId as an object", "serverless", { ...S, groupId: { id: G } }, "groupId"],
  ["groupId as an array", "serverless", { ...S, groupId: [G] }, "groupId"],
  ["missing clusterName", "serverless", { ...S, clusterName: undefined }, "clusterName"],
  ["clusterName empty", "serverless", { ...S, clusterName: "" }, "clusterName"],
  ["clusterName starting with a hyphen", "serverless", { ...S, clusterName: "-prod" }, "clusterName"],
  ["clusterName with a space", "serverless", { ...S, clusterName: "prod orders" }, "clusterName"],
  ["clusterName with unicode", "serverless", { ...S, clusterName: "prød" }, "clusterName"],
  ["clusterName with an emoji", "serverless", { ...S, clusterName: "prod-🚀" }, "clusterName"],
  ["clusterName of 65 characters", "serverless", { ...S, clusterName: "a".repeat(65) }, "clusterName"],
  ["clusterName of 10,000 characters", "serverless", { ...S, clusterName: huge }, "clusterName"],
  ["clusterName with a slash", "serverless", { ...S, clusterName: "prod/../x" }, "clusterName"],
  ["clusterName as a boolean", "serverless", { ...S, clusterName: true }, "clusterName"],
  ["missing deliveryType", "serverless", { ...S, deliveryType: undefined }, "deliveryType"],
  ["deliveryType unknown", "serverless", { ...S, deliveryType: "restore" }, "deliveryType"],
  ["deliveryType in the wrong case", "serverless", { ...S, deliveryType: "AUTOMATED" }, "deliveryType"],
  ["deliveryType as a number", "serverless", { ...S, deliveryType: 1 }, "deliveryType"],
  ["snapshotId malformed", "serverless", { ...S, snapshotId: "latest" }, "snapshotId"],
  ["snapshotId a secret", "serverless", { ...S, snapshotId: SECRET }, "snapshotId"],
  ["targetClusterName malformed", "serverless", { ...S, targetClusterName: "stage_1" }, "targetClusterName"],
  ["automated without a target", "serverless", { ...S, targetClusterName: undefined }, "targetClusterName"],
  ["targetGroupId malformed", "serverless", { ...S, targetGroupId: "project-b" }, "targetGroupId"],
  ["waitForCompletion as a string", "serverless", { ...S, waitForCompletion: "yes" }, "waitForCompletion"],
  ["waitTimeoutSeconds zero", "serverless", { ...S, waitTimeoutSeconds: 0 }, "waitTimeoutSeconds"],
  ["waitTimeoutSeconds negative", "serverless", { ...S, waitTimeoutSeconds: -5 }, "waitTimeoutSeconds"],
  ["waitTimeoutSeconds fractional", "serverless", { ...S, waitTimeoutSeconds: 1.5 }, "waitTimeoutSeconds"],
  [
    "waitTimeoutSeconds over seven days",
    "serverless",
    { ...S, waitTimeoutSeconds: 604801 },
    "waitTimeoutSeconds",
  ],
  ["waitTimeoutSeconds as a string", "serverless", { ...S, waitTimeoutSeconds: "60" }, "waitTimeoutSeconds"],
  ["waitTimeoutSeconds NaN", "serverless", { ...S, waitTimeoutSeconds: Number.NaN }, "waitTimeoutSeconds"],
  [
    "waitTimeoutSeconds infinite",
    "serverless",
    { ...S, waitTimeoutSeconds: Number.POSITIVE_INFINITY },
    "waitTimeoutSeconds",
  ],
  ["waitForTarget as a number", "serverless", { ...S, waitForTarget: 1 }, "waitForTarget"],
  ["triggers as a string", "serverless", { ...S, triggers: "nightly" }, "triggers"],
  ["triggers as an object", "serverless", { ...S, triggers: { date: "x" } }, "triggers"],
  ["apiFallback unknown", "serverless", { ...S, apiFallback: "dedicated" }, "apiFallback"],
  [
    "existingRestoreJobId malformed",
    "serverless",
    { ...S, existingRestoreJobId: "job-1" },
    "existingRestoreJobId",
  ],
  ["an unknown property", "serverless", { ...S, snapshotID: G }, "snapshotID"],
  ["a credential passed as an input", "serverless", { ...S, privateKey: PRIVATE_KEY }, "privateKey"],
  [
    "pointInTimeUTCSeconds with automated",
    "serverless",
    { ...S, pointInTimeUTCSeconds: NOW - 60 },
    "pointInTimeUTCSeconds",
  ],
  ["oplogTs with download", "serverless", { ...S, deliveryType: "download", oplogTs: NOW - 60 }, "oplogTs"],
  ["oplogInc with automated", "serverless", { ...S, oplogInc: 1 }, "oplogInc"],
  ["pointInTime without a moment", "serverless", PIT, "pointInTimeUTCSeconds"],
  [
    "pointInTime with both kinds of moment",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: NOW - 60, oplogTs: NOW - 60, oplogInc: 1 },
    "pointInTimeUTCSeconds",
  ],
  ["oplogTs without oplogInc", "serverless", { ...PIT, oplogTs: NOW - 60 }, "oplogInc"],
  ["oplogInc without oplogTs", "serverless", { ...PIT, oplogInc: 3 }, "oplogTs"],
  ["oplogInc zero", "serverless", { ...PIT, oplogTs: NOW - 60, oplogInc: 0 }, "oplogInc"],
  [
    "a moment in the future",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: NOW + 3600 },
    "pointInTimeUTCSeconds",
  ],
  ["an oplog time in the future", "serverless", { ...PIT, oplogTs: NOW + 3600, oplogInc: 1 }, "oplogTs"],
  ["a moment before 2008", "serverless", { ...PIT, pointInTimeUTCSeconds: 1000 }, "pointInTimeUTCSeconds"],
  [
    "a moment beyond int32",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: 2 ** 31 },
    "pointInTimeUTCSeconds",
  ],
  [
    "a moment in milliseconds",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: NOW * 1000 },
    "pointInTimeUTCSeconds",
  ],
  [
    "pointInTime without a target",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: NOW - 60, targetClusterName: undefined },
    "targetClusterName",
  ],
  [
    "snapshotId with pointInTime",
    "serverless",
    { ...PIT, pointInTimeUTCSeconds: NOW - 60, snapshotId: G },
    "snapshotId",
  ],
  ["flex: missing name", "flex", { ...F, name: undefined }, "name"],
  ["flex: missing groupId", "flex", { ...F, groupId: undefined }, "groupId"],
  ["flex: groupId a secret", "flex", { ...F, groupId: SECRET }, "groupId"],
  ["flex: missing target", "flex", { ...F, targetDeploymentItemName: undefined }, "targetDeploymentItemName"],
  ["flex: target empty", "flex", { ...F, targetDeploymentItemName: "" }, "targetDeploymentItemName"],
  [
    "flex: target of 65 characters",
    "flex",
    { ...F, targetDeploymentItemName: "b".repeat(65) },
    "targetDeploymentItemName",
  ],
  [
    "flex: target with a slash",
    "flex",
    { ...F, targetDeploymentItemName: "a/b" },
    "targetDeploymentItemName",
  ],
  [
    "flex: target with a space",
    "flex",
    { ...F, targetDeploymentItemName: "a b" },
    "targetDeploymentItemName",
  ],
  ["flex: name with unicode", "flex", { ...F, name: "prød" }, "name"],
  ["flex: snapshotId malformed", "flex", { ...F, snapshotId: "newest" }, "snapshotId"],
  ["flex: targetProjectId malformed", "flex", { ...F, targetProjectId: "x" }, "targetProjectId"],
  ["flex: a serverless property", "flex", { ...F, deliveryType: "automated" }, "deliveryType"],
  [
    "flex: clusterName instead of name",
    "flex",
    { ...F, name: undefined, clusterName: "prod" },
    "clusterName",
  ],
  [
    "flex: waitTimeoutSeconds huge",
    "flex",
    { ...F, waitTimeoutSeconds: Number.MAX_SAFE_INTEGER },
    "waitTimeoutSeconds",
  ],
  ["flex: triggers as a number", "flex", { ...F, triggers: 7 }, "triggers"],
  // Dedicated clusters: every rule of dedicated-facts.md, and ours.
  ["cluster: missing groupId", "cluster", { ...D, groupId: undefined }, "groupId"],
  ["cluster: groupId a secret", "cluster", { ...D, groupId: SECRET }, "groupId"],
  ["cluster: missing clusterName", "cluster", { ...D, clusterName: undefined }, "clusterName"],
  ["cluster: clusterName with a slash", "cluster", { ...D, clusterName: "prod/x" }, "clusterName"],
  ["cluster: missing deliveryType", "cluster", { ...D, deliveryType: undefined }, "deliveryType"],
  ["cluster: a Flex deliveryType", "cluster", { ...D, deliveryType: "RESTORE" }, "deliveryType"],
  ["cluster: snapshotId malformed", "cluster", { ...D, snapshotId: "latest" }, "snapshotId"],
  [
    "cluster: automated without a target",
    "cluster",
    { ...D, targetClusterName: undefined },
    "targetClusterName",
  ],
  [
    "cluster: pointInTime without a target",
    "cluster",
    { ...DPIT, pointInTimeUTCSeconds: NOW - 60, targetClusterName: undefined },
    "targetClusterName",
  ],
  [
    "cluster: targetClusterName malformed",
    "cluster",
    { ...D, targetClusterName: "st age" },
    "targetClusterName",
  ],
  ["cluster: targetGroupId malformed", "cluster", { ...D, targetGroupId: "project-b" }, "targetGroupId"],
  [
    "cluster: download with a target cluster",
    "cluster",
    { ...DOWNLOAD, targetClusterName: "stage" },
    "targetClusterName",
  ],
  ["cluster: download with a target project", "cluster", { ...DOWNLOAD, targetGroupId: G }, "targetGroupId"],
  [
    "cluster: snapshotId with takeSnapshot",
    "cluster",
    { ...D, snapshotId: G, takeSnapshot: {} },
    "takeSnapshot",
  ],
  ["cluster: takeSnapshot as a boolean", "cluster", { ...D, takeSnapshot: true }, "takeSnapshot"],
  [
    "cluster: takeSnapshot retention of zero days",
    "cluster",
    { ...D, takeSnapshot: { retentionInDays: 0 } },
    "takeSnapshot.retentionInDays",
  ],
  [
    "cluster: takeSnapshot retention fractional",
    "cluster",
    { ...D, takeSnapshot: { retentionInDays: 1.5 } },
    "takeSnapshot.retentionInDays",
  ],
  [
    "cluster: takeSnapshot description too long",
    "cluster",
    { ...D, takeSnapshot: { description: "d".repeat(1025) } },
    "takeSnapshot.description",
  ],
  [
    "cluster: takeSnapshot with an unknown field",
    "cluster",
    { ...D, takeSnapshot: { retention: 3 } },
    "takeSnapshot.retention",
  ],
  [
    "cluster: pointInTimeUTCSeconds with automated",
    "cluster",
    { ...D, pointInTimeUTCSeconds: NOW - 60 },
    "pointInTimeUTCSeconds",
  ],
  ["cluster: oplogTs with download", "cluster", { ...DOWNLOAD, oplogTs: NOW - 60 }, "oplogTs"],
  ["cluster: pointInTime without a moment", "cluster", DPIT, "pointInTimeUTCSeconds"],
  [
    "cluster: pointInTime with both kinds of moment",
    "cluster",
    { ...DPIT, pointInTimeUTCSeconds: NOW - 60, oplogTs: NOW - 60, oplogInc: 1 },
    "pointInTimeUTCSeconds",
  ],
  ["cluster: oplogTs without oplogInc", "cluster", { ...DPIT, oplogTs: NOW - 60 }, "oplogInc"],
  ["cluster: oplogInc without oplogTs", "cluster", { ...DPIT, oplogInc: 2 }, "oplogTs"],
  ["cluster: oplogInc zero", "cluster", { ...DPIT, oplogTs: NOW - 60, oplogInc: 0 }, "oplogInc"],
  [
    "cluster: a moment in the future",
    "cluster",
    { ...DPIT, pointInTimeUTCSeconds: NOW + 3600 },
    "pointInTimeUTCSeconds",
  ],
  [
    "cluster: snapshotId with pointInTime",
    "cluster",
    { ...DPIT, pointInTimeUTCSeconds: NOW - 60, snapshotId: G },
    "snapshotId",
  ],
  [
    "cluster: takeSnapshot with pointInTime",
    "cluster",
    { ...DPIT, pointInTimeUTCSeconds: NOW - 60, takeSnapshot: {} },
    "takeSnapshot",
  ],
  [
    "cluster: the collection spelling pointInTimeUtcSeconds",
    "cluster",
    { ...DPIT, pointInTimeUtcSeconds: NOW - 60 },
    "pointInTimeUtcSeconds",
  ],
  ["cluster: onDestroy unknown", "cluster", { ...D, onDestroy: "delete" }, "onDestroy"],
  ["cluster: waitForTarget as a string", "cluster", { ...D, waitForTarget: "true" }, "waitForTarget"],
  [
    "cluster: existingRestoreJobId malformed",
    "cluster",
    { ...D, existingRestoreJobId: "1" },
    "existingRestoreJobId",
  ],
  // Collection-level restores: names, lists, strategies, and a snapshot xor a point in time.
  ["collection: missing groupId", "collection", { ...C, groupId: undefined }, "groupId"],
  ["collection: groupId a private key", "collection", { ...C, groupId: PRIVATE_KEY }, "groupId"],
  ["collection: missing clusterName", "collection", { ...C, clusterName: undefined }, "clusterName"],
  ["collection: clusterName with a space", "collection", { ...C, clusterName: "prod x" }, "clusterName"],
  ["collection: missing target", "collection", { ...C, targetClusterName: undefined }, "targetClusterName"],
  ["collection: target with a slash", "collection", { ...C, targetClusterName: "a/b" }, "targetClusterName"],
  ["collection: targetGroupId malformed", "collection", { ...C, targetGroupId: "staging" }, "targetGroupId"],
  ["collection: nothing to restore", "collection", { ...C, collections: undefined }, "collections"],
  ["collection: both lists empty", "collection", { ...C, collections: [], databases: [] }, "collections"],
  [
    "collection: collections as a string",
    "collection",
    { ...C, collections: "orders.orders" },
    "collections",
  ],
  [
    "collection: an entry as a string",
    "collection",
    { ...C, collections: ["orders.orders"] },
    "collections[0]",
  ],
  [
    "collection: a collection without its database",
    "collection",
    { ...C, collections: [ns("orders")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a collection starting with a dot",
    "collection",
    { ...C, collections: [ns(".orders")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a collection name left empty",
    "collection",
    { ...C, collections: [ns("orders.")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a system collection",
    "collection",
    { ...C, collections: [ns("orders.system.views")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a collection with a dollar",
    "collection",
    { ...C, collections: [ns("orders.a$b")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a database with a space",
    "collection",
    { ...C, collections: [ns("my orders.orders")] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a namespace of 256 characters",
    "collection",
    { ...C, collections: [ns(`orders.${"c".repeat(249)}`)] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a sourceNamespace as a number",
    "collection",
    { ...C, collections: [ns(42)] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: an entry without sourceNamespace",
    "collection",
    { ...C, collections: [{ targetNamespace: "copy.orders" }] },
    "collections[0].sourceNamespace",
  ],
  [
    "collection: a target namespace without a collection",
    "collection",
    { ...C, collections: [ns("orders.orders", "copy")] },
    "collections[0].targetNamespace",
  ],
  [
    "collection: an entry with an unknown property",
    "collection",
    { ...C, collections: [{ sourceNamespace: "orders.orders", target: "copy.orders" }] },
    "collections[0].target",
  ],
  [
    "collection: the same collection twice",
    "collection",
    { ...C, collections: [ns("orders.orders"), ns("orders.orders", "copy.orders")] },
    "collections[1].sourceNamespace",
  ],
  [
    "collection: 101 collections",
    "collection",
    { ...C, collections: many(101, (i) => `db.c${i}`) },
    "collections",
  ],
  [
    "collection: a database named like a collection",
    "collection",
    { ...C, databases: [ns("orders.orders")] },
    "databases[0].sourceNamespace",
  ],
  [
    "collection: a database with a slash",
    "collection",
    { ...C, databases: [ns("orders/x")] },
    "databases[0].sourceNamespace",
  ],
  [
    "collection: a database of 64 characters",
    "collection",
    { ...C, databases: [ns("d".repeat(64))] },
    "databases[0].sourceNamespace",
  ],
  [
    "collection: a database target with a dot",
    "collection",
    { ...C, databases: [ns("orders", "orders.copy")] },
    "databases[0].targetNamespace",
  ],
  ["collection: 101 databases", "collection", { ...C, databases: many(101, (i) => `db${i}`) }, "databases"],
  [
    "collection: databaseSuffix with a dot",
    "collection",
    { ...C, databaseSuffix: ".copy" },
    "databaseSuffix",
  ],
  ["collection: databaseSuffix with a slash", "collection", { ...C, databaseSuffix: "/x" }, "databaseSuffix"],
  [
    "collection: collectionSuffix with a dollar",
    "collection",
    { ...C, collectionSuffix: "$x" },
    "collectionSuffix",
  ],
  [
    "collection: collectionSuffix as a number",
    "collection",
    { ...C, collectionSuffix: 2 },
    "collectionSuffix",
  ],
  ["collection: writeStrategy unknown", "collection", { ...C, writeStrategy: "MERGE" }, "writeStrategy"],
  [
    "collection: writeStrategy in lower case",
    "collection",
    { ...C, writeStrategy: "create_new" },
    "writeStrategy",
  ],
  ["collection: indexStrategy unknown", "collection", { ...C, indexStrategy: "SOME" }, "indexStrategy"],
  ["collection: indexStrategy in lower case", "collection", { ...C, indexStrategy: "all" }, "indexStrategy"],
  ["collection: snapshotId malformed", "collection", { ...C, snapshotId: "newest" }, "snapshotId"],
  [
    "collection: snapshotId with a point in time",
    "collection",
    { ...C, snapshotId: G, pointInTimeUtcSeconds: NOW - 60 },
    "snapshotId",
  ],
  [
    "collection: snapshotId with an oplog time",
    "collection",
    { ...C, snapshotId: G, oplogTs: NOW - 60, oplogInc: 1 },
    "snapshotId",
  ],
  [
    "collection: the dedicated spelling pointInTimeUTCSeconds",
    "collection",
    { ...C, pointInTimeUTCSeconds: NOW - 60 },
    "pointInTimeUTCSeconds",
  ],
  [
    "collection: both kinds of moment",
    "collection",
    { ...C, pointInTimeUtcSeconds: NOW - 60, oplogTs: NOW - 60, oplogInc: 1 },
    "pointInTimeUtcSeconds",
  ],
  ["collection: oplogTs without oplogInc", "collection", { ...C, oplogTs: NOW - 60 }, "oplogInc"],
  ["collection: oplogInc without oplogTs", "collection", { ...C, oplogInc: 1 }, "oplogTs"],
  ["collection: oplogInc zero", "collection", { ...C, oplogTs: NOW - 60, oplogInc: 0 }, "oplogInc"],
  [
    "collection: a moment in the future",
    "collection",
    { ...C, pointInTimeUtcSeconds: NOW + 3600 },
    "pointInTimeUtcSeconds",
  ],
  [
    "collection: an oplog time in the future",
    "collection",
    { ...C, oplogTs: NOW + 3600, oplogInc: 1 },
    "oplogTs",
  ],
  [
    "collection: a moment before 2008",
    "collection",
    { ...C, pointInTimeUtcSeconds: 1000 },
    "pointInTimeUtcSeconds",
  ],
  [
    "collection: a moment in milliseconds",
    "collection",
    { ...C, pointInTimeUtcSeconds: NOW * 1000 },
    "pointInTimeUtcSeconds",
  ],
  ["collection: allowPartial as a string", "collection", { ...C, allowPartial: "yes" }, "allowPartial"],
  ["collection: a dedicated property", "collection", { ...C, deliveryType: "automated" }, "deliveryType"],
  [
    "collection: waitTimeoutSeconds zero",
    "collection",
    { ...C, waitTimeoutSeconds: 0 },
    "waitTimeoutSeconds",
  ],
  ["collection: triggers as a string", "collection", { ...C, triggers: "nightly" }, "triggers"],
  [
    "collection: existingRestoreJobId malformed",
    "collection",
    { ...C, existingRestoreJobId: "job-1" },
    "existingRestoreJobId",
  ],
];

describe("bad input corpus", () => {
  it(`has at least 60 cases (${corpus.length})`, () => assert.ok(corpus.length >= 60));

  for (const [title, kind, inputs, property] of corpus) {
    it(`rejects ${title}, naming ${property}`, async () => {
      const lifecycle = lifecycles[kind];
      const raw = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined));
      const result = await lifecycle.check({}, { ...raw, __provider: "provider" });
      const failures = result.failures ?? [];
      assert.ok(
        failures.some((f) => f.reason.startsWith(`${property}: `)),
        `no failure names ${property}: ${JSON.stringify(failures)}`,
      );
      for (const value of Object.values(raw)) {
        if (typeof value === "string" && value.length > 16) {
          assert.ok(!failures.some((f) => f.reason.includes(value)), "a failure repeats the rejected value");
        }
      }
    });
  }

  it("accepts the valid inputs the corpus starts from", async () => {
    assert.deepStrictEqual((await serverless.check({}, { ...S, __provider: "p" })).failures, []);
    assert.deepStrictEqual((await flex.check({}, { ...F, __provider: "p" })).failures, []);
    for (const valid of [D, DOWNLOAD, { ...DPIT, pointInTimeUTCSeconds: NOW - 60 }])
      assert.deepStrictEqual((await cluster.check({}, { ...valid, __provider: "p" })).failures, []);
    for (const valid of [C, { ...C, collections: undefined, databases: [ns("orders", "orders_copy")] }])
      assert.deepStrictEqual((await collection.check({}, { ...valid, __provider: "p" })).failures, []);
  });
});
