import assert from "node:assert";

import { diffInputs, sameValue } from "../provider/diff";
import { serverlessDiffRules } from "../provider/serverless-inputs";

const G = "0123456789abcdef01234567";
const base = {
  groupId: G,
  clusterName: "prod",
  deliveryType: "automated",
  targetClusterName: "stage",
  targetGroupId: G,
  apiFallback: "flex",
  waitForCompletion: true,
  waitTimeoutSeconds: 10800,
  waitForTarget: true,
  __provider: "p1",
};
/** Old outputs: the inputs plus what the provider recorded. */
const olds = {
  ...base,
  snapshotId: "aaaaaaaaaaaaaaaaaaaaaaaa",
  snapshotSource: "latest",
  restoreJobId: "j",
  status: "COMPLETED",
};

describe("diff", () => {
  it("sees no change when nothing changed, the resolved snapshot included", () => {
    assert.deepStrictEqual(diffInputs(olds, base, serverlessDiffRules), {
      changes: false,
      deleteBeforeReplace: false,
    });
  });

  const replacing: [string, unknown][] = [
    ["groupId", "fedcba9876543210fedcba98"],
    ["clusterName", "other"],
    ["deliveryType", "download"],
    ["snapshotId", "bbbbbbbbbbbbbbbbbbbbbbbb"],
    ["pointInTimeUTCSeconds", 1700000000],
    ["oplogTs", 1700000000],
    ["oplogInc", 2],
    ["targetClusterName", "stage2"],
    ["targetGroupId", "fedcba9876543210fedcba98"],
    ["existingRestoreJobId", "cccccccccccccccccccccccc"],
    ["triggers", ["2026-11-28"]],
  ];
  for (const [key, value] of replacing) {
    it(`replaces on a new ${key}`, () => {
      assert.deepStrictEqual(diffInputs(olds, { ...base, [key]: value }, serverlessDiffRules), {
        changes: true,
        replaces: [key],
        deleteBeforeReplace: false,
      });
    });
  }

  for (const [key, value] of [
    ["apiFallback", "none"],
    ["waitForCompletion", false],
    ["waitTimeoutSeconds", 60],
    ["waitForTarget", false],
    ["__provider", "p2"],
  ] as const) {
    it(`updates in place on a new ${key}`, () => {
      assert.deepStrictEqual(diffInputs(olds, { ...base, [key]: value }, serverlessDiffRules), {
        changes: true,
        deleteBeforeReplace: false,
      });
    });
  }

  it("compares a snapshot the user gave", () => {
    const given = { ...olds, snapshotSource: "input" };
    assert.deepStrictEqual(
      diffInputs(given, { ...base, snapshotId: olds.snapshotId }, serverlessDiffRules).changes,
      false,
    );
    assert.deepStrictEqual(diffInputs(given, base, serverlessDiffRules).replaces, ["snapshotId"]);
  });

  it("compares values structurally", () => {
    assert.ok(sameValue([{ a: 1, b: 2 }], [{ b: 2, a: 1 }]));
    assert.ok(sameValue(null, undefined));
    assert.ok(!sameValue([1], [1, 2]));
  });
});
