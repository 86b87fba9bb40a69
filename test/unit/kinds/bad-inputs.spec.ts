import assert from "node:assert";

import { flexSpec } from "../../../provider/kinds/flex/spec";
import { serverlessSpec } from "../../../provider/kinds/serverless/spec";
import { createLifecycles } from "../../../provider/restore/lifecycle";
import { fakeClock } from "../../helpers/fakes";

/**
 * A corpus of invalid inputs for both resources. Each must be rejected by `check` with a failure
 * naming the property, none may reach the network (there is no session to reach it with), none may
 * crash the provider, and no failure may repeat the value it rejects.
 */

const noSession = () => {
  throw new Error("check must not need a session");
};
const clock = fakeClock(Date.UTC(2026, 10, 28, 12));
const serverless = createLifecycles(serverlessSpec, noSession, clock).start;
const flex = createLifecycles(flexSpec, noSession, clock).start;

const G = "0123456789abcdef01234567";
const NOW = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);
const S = { groupId: G, clusterName: "prod", deliveryType: "automated", targetClusterName: "stage" };
const F = { groupId: G, name: "prod", targetDeploymentItemName: "stage" };
const PIT = { ...S, deliveryType: "pointInTime" };
const SECRET = "mdb_sa_sk_0123456789abcdefSECRET";
const PRIVATE_KEY = "0a1b2c3d-aaaa-4bbb-8ccc-0123456789ab";
const huge = "a".repeat(10_000);

/** [title, resource, inputs, property the failure must name] */
const corpus: [string, "serverless" | "flex", Record<string, unknown>, string][] = [
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
];

describe("bad input corpus", () => {
  it(`has at least 60 cases (${corpus.length})`, () => assert.ok(corpus.length >= 60));

  for (const [title, kind, inputs, property] of corpus) {
    it(`rejects ${title}, naming ${property}`, async () => {
      const lifecycle = kind === "flex" ? flex : serverless;
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
  });
});
