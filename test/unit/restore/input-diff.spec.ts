import assert from "node:assert";

import { serverlessDiffRules } from "../../../provider/kinds/serverless/inputs";
import { diffInputs, sameValue } from "../../../provider/restore/input-diff";
import { NO_CHANGE, replace, UPDATE } from "../../helpers/diff-results";

const G = "0123456789abcdef01234567";
const OTHER_G = "fedcba9876543210fedcba98";
const RESOLVED = "aaaaaaaaaaaaaaaaaaaaaaaa";

/** New inputs, as `check` returns them. */
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
/** Old outputs: the inputs plus what the provider recorded, the snapshot it chose included. */
const olds = {
  ...base,
  snapshotId: RESOLVED,
  snapshotSource: "latest",
  restoreJobId: "j",
  status: "COMPLETED",
};

describe("diff", () => {
  it("sees no change when nothing changed, the resolved snapshot included", () => {
    assert.deepStrictEqual(diffInputs(olds, base, serverlessDiffRules), NO_CHANGE);
  });

  const replacing: [string, unknown][] = [
    ["groupId", OTHER_G],
    ["clusterName", "other"],
    ["deliveryType", "download"],
    ["snapshotId", "bbbbbbbbbbbbbbbbbbbbbbbb"],
    ["pointInTimeUTCSeconds", 1700000000],
    ["oplogTs", 1700000000],
    ["oplogInc", 2],
    ["targetClusterName", "stage2"],
    ["targetGroupId", OTHER_G],
    ["existingRestoreJobId", "cccccccccccccccccccccccc"],
    ["triggers", ["2026-11-28"]],
  ];
  for (const [key, value] of replacing) {
    it(`replaces on a new ${key}`, () => {
      assert.deepStrictEqual(diffInputs(olds, { ...base, [key]: value }, serverlessDiffRules), replace(key));
    });
  }

  it("lists every replacing field that changed", () => {
    const news = { ...base, clusterName: "other", targetGroupId: OTHER_G, triggers: [1] };
    assert.deepStrictEqual(
      diffInputs(olds, news, serverlessDiffRules),
      replace("clusterName", "targetGroupId", "triggers"),
    );
  });

  it("replaces when a replacing field is removed", () => {
    const withTriggers = { ...olds, triggers: ["v1"], oplogInc: 3 };
    assert.deepStrictEqual(
      diffInputs(withTriggers, base, serverlessDiffRules),
      replace("oplogInc", "triggers"),
    );
  });

  for (const [key, value] of [
    ["apiFallback", "none"],
    ["waitForCompletion", false],
    ["waitTimeoutSeconds", 60],
    ["waitForTarget", false],
    ["__provider", "p2"],
  ] as const) {
    it(`updates in place, without replacing, on a new ${key}`, () => {
      assert.deepStrictEqual(diffInputs(olds, { ...base, [key]: value }, serverlessDiffRules), UPDATE);
    });
  }

  it("replaces without listing in-place changes made at the same time", () => {
    const news = { ...base, waitForCompletion: false, clusterName: "other" };
    assert.deepStrictEqual(diffInputs(olds, news, serverlessDiffRules), replace("clusterName"));
  });

  describe("snapshotId", () => {
    it("ignores the snapshot chosen as the latest when no snapshot is given", () => {
      assert.deepStrictEqual(diffInputs(olds, base, serverlessDiffRules), NO_CHANGE);
    });

    it("ignores the snapshot Atlas chose for a point-in-time job", () => {
      const job = { ...olds, snapshotSource: "job" };
      assert.deepStrictEqual(diffInputs(job, base, serverlessDiffRules), NO_CHANGE);
    });

    it("compares a snapshot the user gave", () => {
      const given = { ...olds, snapshotSource: "input" };
      assert.deepStrictEqual(
        diffInputs(given, { ...base, snapshotId: RESOLVED }, serverlessDiffRules),
        NO_CHANGE,
      );
      assert.deepStrictEqual(
        diffInputs(given, { ...base, snapshotId: "bbbbbbbbbbbbbbbbbbbbbbbb" }, serverlessDiffRules),
        replace("snapshotId"),
      );
      assert.deepStrictEqual(diffInputs(given, base, serverlessDiffRules), replace("snapshotId"));
    });
  });

  describe("triggers", () => {
    it("sees equal arrays and objects as unchanged, whatever their key order", () => {
      const old = { ...olds, triggers: [{ a: 1, b: { c: [1, 2], d: "x" } }, "v1"] };
      const news = { ...base, triggers: [{ b: { d: "x", c: [1, 2] }, a: 1 }, "v1"] };
      assert.deepStrictEqual(diffInputs(old, news, serverlessDiffRules), NO_CHANGE);
    });

    it("sees a different order of elements as a change", () => {
      const old = { ...olds, triggers: ["v1", "v2"] };
      assert.deepStrictEqual(
        diffInputs(old, { ...base, triggers: ["v2", "v1"] }, serverlessDiffRules),
        replace("triggers"),
      );
    });
  });

  describe("sameValue", () => {
    const equal: [unknown, unknown][] = [
      [null, undefined],
      [1, 1],
      ["a", "a"],
      [[{ a: 1, b: 2 }], [{ b: 2, a: 1 }]],
      [{ a: 1, b: undefined }, { a: 1 }],
      [{ a: [null] }, { a: [undefined] }],
    ];
    const different: [unknown, unknown][] = [
      [1, "1"],
      [0, null],
      ["", undefined],
      [false, null],
      [[1], [1, 2]],
      [{ a: 1 }, { a: 1, b: 2 }],
      [[], {}],
    ];
    for (const [a, b] of equal) {
      it(`${JSON.stringify(a) ?? "undefined"} equals ${JSON.stringify(b) ?? "undefined"}`, () =>
        assert.strictEqual(sameValue(a, b), true));
    }
    for (const [a, b] of different) {
      it(`${JSON.stringify(a) ?? "undefined"} differs from ${JSON.stringify(b) ?? "undefined"}`, () =>
        assert.strictEqual(sameValue(a, b), false));
    }
  });
});
