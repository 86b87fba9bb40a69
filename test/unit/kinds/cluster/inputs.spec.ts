import assert from "node:assert";

import { cancellableRestore } from "../../../../provider/kinds/cluster/destroy";
import { clusterSpec } from "../../../../provider/kinds/cluster/spec";
import { UNKNOWN } from "../../../../provider/restore/input-fields";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import { fakeClock } from "../../../helpers/fakes";

/**
 * Every cross-field rule of `dedicated-facts.md`, checked at preview: each failure names its property,
 * and `check` runs without a session, so no request can be sent.
 */

const noSession = () => {
  throw new Error("check must not need a session");
};
const NOW = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);
// The starter's check and diff decide what preview shows; its destroy follows onDestroy.
const lifecycle = cancellableRestore(
  createLifecycles(clusterSpec, noSession, fakeClock(NOW * 1000)),
  noSession,
).start;

const G = "0123456789abcdef01234567";
const T = "76543210fedcba9876543210";
const SNAP = "5f0e1d2c3b4a596877665544";
const AUTOMATED = { groupId: G, clusterName: "prod", deliveryType: "automated", targetClusterName: "stage" };
const DOWNLOAD = { groupId: G, clusterName: "prod", deliveryType: "download" };
const PIT = { ...AUTOMATED, deliveryType: "pointInTime" };

async function check(raw: Record<string, unknown>) {
  const result = await lifecycle.check({}, { ...raw, __provider: "provider" });
  return { inputs: result.inputs!, reasons: (result.failures ?? []).map((f) => f.reason) };
}

describe("cluster restore job inputs", () => {
  describe("accepted, with defaults filled in", () => {
    it("an automated restore: the target project defaults to the source's, destroy forgets", async () => {
      const { inputs, reasons } = await check(AUTOMATED);
      assert.deepStrictEqual(reasons, []);
      assert.deepStrictEqual(inputs, {
        ...AUTOMATED,
        targetGroupId: G,
        onDestroy: "forget",
        waitForCompletion: true,
        waitTimeoutSeconds: 10800,
        waitForTarget: true,
        __provider: "provider",
      });
    });

    it("a download: no target, no wait for one", async () => {
      const { inputs, reasons } = await check(DOWNLOAD);
      assert.deepStrictEqual(reasons, []);
      assert.strictEqual(inputs.targetGroupId, undefined);
      assert.strictEqual(inputs.targetClusterName, undefined);
      assert.strictEqual(inputs.waitForTarget, false);
    });

    it("a point in time by seconds, and one by oplog", async () => {
      assert.deepStrictEqual((await check({ ...PIT, pointInTimeUTCSeconds: NOW - 60 })).reasons, []);
      assert.deepStrictEqual((await check({ ...PIT, oplogTs: NOW - 60, oplogInc: 3 })).reasons, []);
    });

    it("a fresh snapshot with or without options, and onDestroy cancel into another project", async () => {
      const fresh = { ...AUTOMATED, targetGroupId: T, onDestroy: "cancel" };
      assert.deepStrictEqual((await check({ ...fresh, takeSnapshot: {} })).reasons, []);
      const { reasons, inputs } = await check({
        ...fresh,
        takeSnapshot: { retentionInDays: 2, description: "staging clone" },
      });
      assert.deepStrictEqual(reasons, []);
      assert.deepStrictEqual(inputs.takeSnapshot, { retentionInDays: 2, description: "staging clone" });
      assert.strictEqual(inputs.onDestroy, "cancel");
    });

    it("values not known until apply (preview) are not judged", async () => {
      const { reasons } = await check({
        ...AUTOMATED,
        targetClusterName: UNKNOWN,
        takeSnapshot: { retentionInDays: UNKNOWN, description: UNKNOWN },
      });
      assert.deepStrictEqual(reasons, []);
    });
  });

  describe("refused, naming the property", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "a delivery type outside the enum",
        { ...AUTOMATED, deliveryType: "restore" },
        "deliveryType: expected",
      ],
      ["no delivery type", { ...AUTOMATED, deliveryType: undefined }, "deliveryType: required"],
      [
        "automated without a target cluster",
        { ...AUTOMATED, targetClusterName: undefined },
        "targetClusterName: required for deliveryType automated",
      ],
      [
        "pointInTime without a target cluster",
        { ...PIT, targetClusterName: undefined, pointInTimeUTCSeconds: NOW - 60 },
        "targetClusterName: required for deliveryType pointInTime",
      ],
      [
        "a download with a target cluster",
        { ...DOWNLOAD, targetClusterName: "stage" },
        "targetClusterName: not used with deliveryType download",
      ],
      [
        "a download with a target project",
        { ...DOWNLOAD, targetGroupId: T },
        "targetGroupId: not used with deliveryType download",
      ],
      [
        "pointInTime with no moment",
        PIT,
        "pointInTimeUTCSeconds: required for deliveryType pointInTime, unless oplogTs and oplogInc are given",
      ],
      [
        "pointInTime with both a moment and an oplog point",
        { ...PIT, pointInTimeUTCSeconds: NOW - 60, oplogTs: NOW - 60, oplogInc: 1 },
        "pointInTimeUTCSeconds: give either pointInTimeUTCSeconds or oplogTs with oplogInc, not both",
      ],
      ["oplogTs without oplogInc", { ...PIT, oplogTs: NOW - 60 }, "oplogInc: required with oplogTs"],
      ["oplogInc without oplogTs", { ...PIT, oplogInc: 2 }, "oplogTs: required with oplogInc"],
      ["oplogInc below 1", { ...PIT, oplogTs: NOW - 60, oplogInc: 0 }, "oplogInc: expected integer from 1"],
      [
        "a moment before 2008-01-01",
        { ...PIT, pointInTimeUTCSeconds: 1199145599 },
        "pointInTimeUTCSeconds: expected integer of seconds since the epoch from 1199145600",
      ],
      [
        "a moment in the future",
        { ...PIT, pointInTimeUTCSeconds: NOW + 60 },
        "pointInTimeUTCSeconds: must not be in the future",
      ],
      [
        "an oplog time in the future",
        { ...PIT, oplogTs: NOW + 60, oplogInc: 1 },
        "oplogTs: must not be in the future",
      ],
      [
        "a moment with automated",
        { ...AUTOMATED, pointInTimeUTCSeconds: NOW - 60 },
        "pointInTimeUTCSeconds: only used with deliveryType pointInTime",
      ],
      [
        "an oplog point with a download",
        { ...DOWNLOAD, oplogTs: NOW - 60, oplogInc: 1 },
        "oplogTs: only used with deliveryType pointInTime",
      ],
      [
        "a snapshot with pointInTime",
        { ...PIT, pointInTimeUTCSeconds: NOW - 60, snapshotId: SNAP },
        "snapshotId: not used with deliveryType pointInTime",
      ],
      [
        "a fresh snapshot with pointInTime",
        { ...PIT, pointInTimeUTCSeconds: NOW - 60, takeSnapshot: {} },
        "takeSnapshot: not used with deliveryType pointInTime",
      ],
      [
        "a fresh snapshot and a snapshot id",
        { ...AUTOMATED, snapshotId: SNAP, takeSnapshot: {} },
        "takeSnapshot: give either snapshotId or takeSnapshot, not both",
      ],
      ["takeSnapshot not an object", { ...AUTOMATED, takeSnapshot: true }, "takeSnapshot: expected object"],
      ["takeSnapshot as an array", { ...AUTOMATED, takeSnapshot: [] }, "takeSnapshot: expected object"],
      [
        "a retention of zero days",
        { ...AUTOMATED, takeSnapshot: { retentionInDays: 0 } },
        "takeSnapshot.retentionInDays: expected integer of days from 1",
      ],
      [
        "a fractional retention",
        { ...AUTOMATED, takeSnapshot: { retentionInDays: 1.5 } },
        "takeSnapshot.retentionInDays: expected integer of days from 1",
      ],
      [
        "a description that is not a string",
        { ...AUTOMATED, takeSnapshot: { description: 7 } },
        "takeSnapshot.description: expected string of at most 1024 characters",
      ],
      [
        "an unknown snapshot option",
        { ...AUTOMATED, takeSnapshot: { retention: 3 } },
        "takeSnapshot.retention: unknown property",
      ],
      ["onDestroy outside its enum", { ...AUTOMATED, onDestroy: "delete" }, "onDestroy: expected"],
      [
        "a malformed target project",
        { ...AUTOMATED, targetGroupId: "proj" },
        "targetGroupId: expected 24-hex",
      ],
      [
        "a malformed target name",
        { ...AUTOMATED, targetClusterName: "-stage" },
        "targetClusterName: expected",
      ],
      ["a serverless-only input", { ...AUTOMATED, apiFallback: "flex" }, "apiFallback: unknown property"],
    ];

    for (const [title, raw, reason] of cases) {
      it(`${title}`, async () => {
        const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
        const { reasons } = await check(given);
        assert.ok(
          reasons.some((r) => r.startsWith(reason)),
          `expected a failure starting "${reason}", got ${JSON.stringify(reasons)}`,
        );
      });
    }

    it("reports every problem at once", async () => {
      const { reasons } = await check({
        ...DOWNLOAD,
        targetClusterName: "stage",
        oplogInc: 1,
        onDestroy: "x",
      });
      assert.strictEqual(reasons.length, 3, JSON.stringify(reasons));
    });

    it("never repeats a rejected value", async () => {
      const secret = "mdb_sa_sk_0123456789abcdefSECRET";
      const { reasons } = await check({
        ...AUTOMATED,
        takeSnapshot: { retentionInDays: secret },
        targetGroupId: secret,
      });
      assert.ok(reasons.length > 0);
      assert.ok(reasons.every((r) => !r.includes(secret)));
    });
  });

  describe("diff", () => {
    const olds = {
      ...AUTOMATED,
      targetGroupId: G,
      onDestroy: "forget",
      snapshotId: SNAP,
      snapshotSource: "new",
    };

    it("a chosen or freshly taken snapshot is not an input: omitting snapshotId changes nothing", async () => {
      const result = await lifecycle.diff("job", olds, {
        ...AUTOMATED,
        targetGroupId: G,
        onDestroy: "forget",
      });
      assert.strictEqual(result.changes, false);
    });

    it("a change to takeSnapshot or triggers replaces (a new snapshot); onDestroy only updates", async () => {
      const news = { ...AUTOMATED, targetGroupId: G, onDestroy: "forget" };
      const fresh = await lifecycle.diff("job", olds, { ...news, takeSnapshot: { retentionInDays: 3 } });
      assert.deepStrictEqual(fresh.replaces, ["takeSnapshot"]);
      const triggered = await lifecycle.diff("job", olds, { ...news, triggers: ["2026-11-29"] });
      assert.deepStrictEqual(triggered.replaces, ["triggers"]);
      const cancel = await lifecycle.diff("job", olds, { ...news, onDestroy: "cancel" });
      assert.strictEqual(cancel.changes, true);
      assert.strictEqual(cancel.replaces, undefined);
    });
  });
});
