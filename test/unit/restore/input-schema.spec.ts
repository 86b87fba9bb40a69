import assert from "node:assert";

import * as t from "io-ts";

import {
  AtlasId,
  AtlasName,
  commonDiffRules,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  UNKNOWN,
} from "../../../provider/restore/input-fields";
import { defineInputs } from "../../../provider/restore/input-schema";

const schema = defineInputs({
  required: { groupId: AtlasId },
  defaulted: { targetGroupId: AtlasId },
  optional: { targetName: AtlasName },
  writesToTarget: (raw) => typeof raw.targetName === "string",
  defaults: (raw) => ({ targetGroupId: raw.targetGroupId ?? raw.groupId }),
  crossField: (raw, nowSeconds) =>
    raw.targetName === "later" && nowSeconds < 10 ? [{ property: "targetName", reason: "too early" }] : [],
});
const groupId = "0123456789abcdef01234567";

describe("input schema", () => {
  it("fills in the kind's defaults and the common ones, which the codec then requires", () => {
    const { inputs, failures } = schema.check({ groupId, targetName: "staging" }, 0);
    assert.deepStrictEqual(failures, []);
    assert.deepStrictEqual(inputs, {
      groupId,
      targetName: "staging",
      targetGroupId: groupId,
      waitForCompletion: true,
      waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS,
      waitForTarget: true,
    });
    assert.strictEqual(schema.codec.decode(inputs)._tag, "Right");
    const { targetGroupId: _dropped, ...withoutDefault } = inputs;
    assert.strictEqual(schema.codec.decode(withoutDefault)._tag, "Left");
  });

  it("checks every field the codec knows, common ones included, and no other", () => {
    const { failures } = schema.check(
      { groupId: "x", targetGroupId: 1, targetName: "-", waitForCompletion: "yes", triggers: {}, extra: 1 },
      0,
    );
    assert.deepStrictEqual(
      failures.map((f) => f.property),
      ["extra", "groupId", "targetName", "targetGroupId", "waitForCompletion", "triggers"],
    );
  });

  it("adds the kind's cross-field failures, with the time passed in", () => {
    assert.deepStrictEqual(schema.check({ groupId, targetName: "later" }, 5).failures, [
      { property: "targetName", reason: "too early" },
    ]);
    assert.deepStrictEqual(schema.check({ groupId, targetName: "later" }, 50).failures, []);
  });

  it("drops null and undefined inputs, which the codec would refuse", () => {
    const { inputs } = schema.check({ groupId, targetName: null, existingRestoreJobId: undefined }, 0);
    assert.ok(!("targetName" in inputs) && !("existingRestoreJobId" in inputs));
    assert.strictEqual(inputs.waitForTarget, false);
    assert.strictEqual(schema.codec.decode(inputs)._tag, "Right");
  });

  describe("verify (a clone check)", () => {
    const verify = { collections: [{ namespace: "shop.orders", documents: { exactly: 3 } }] };

    it("is an input of every kind, decoded with the rest", () => {
      const { inputs, failures } = schema.check({ groupId, targetName: "staging", verify }, 0);
      assert.deepStrictEqual(failures, []);
      const decoded = schema.codec.decode(inputs);
      assert.ok(decoded._tag === "Right");
      assert.deepStrictEqual(decoded.right.verify, verify);
    });

    it("names each nested property that is wrong, once, with the restore's other failures", () => {
      const { failures } = schema.check(
        {
          groupId: "x",
          targetName: "staging",
          verify: { collections: [{ namespace: "nodot", query: { filter: { a: { $bad: 1 } } } }] },
        },
        0,
      );
      assert.deepStrictEqual(failures, [
        { property: "groupId", reason: "expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
        { property: "verify.collections[0].namespace", reason: "expected namespace <database>.<collection>" },
        { property: "verify.collections[0].query.filter.a.$bad", reason: "unknown operator" },
      ]);
    });

    it("needs a target, and the waits that reach it", () => {
      assert.deepStrictEqual(schema.check({ groupId, verify }, 0).failures, [
        { property: "verify", reason: "a download writes to no cluster, so there is no clone to check" },
      ]);
      for (const wait of ["waitForCompletion", "waitForTarget"])
        assert.deepStrictEqual(
          schema.check({ groupId, targetName: "staging", verify, [wait]: false }, 0).failures,
          [
            {
              property: "verify",
              reason:
                "the clone is checked once the restore completed and its target is ready, so it needs waitForCompletion and waitForTarget (both true by default)",
            },
          ],
        );
    });

    it("takes the kind's context: sameAsSource only where Atlas reports the source's counts", () => {
      const same = { collections: [{ namespace: "shop.orders", documents: { sameAsSource: true } }] };
      assert.deepStrictEqual(
        schema.check({ groupId, targetName: "staging", verify: same }, 0).failures.map((f) => f.property),
        ["verify.collections[0].documents.sameAsSource"],
      );
      const reporting = defineInputs({
        required: { groupId: AtlasId },
        defaulted: {},
        optional: {},
        writesToTarget: () => true,
        defaults: () => ({}),
        verifyContext: () => ({ sourceCountsReported: true }),
      });
      assert.deepStrictEqual(reporting.check({ groupId, verify: same }, 0).failures, []);
    });

    it("skips what preview does not know yet", () => {
      assert.deepStrictEqual(
        schema.check({ groupId, targetName: "staging", verify: UNKNOWN }, 0).failures,
        [],
      );
      assert.deepStrictEqual(
        schema.check({ groupId, targetName: "staging", verify: { collections: [UNKNOWN] } }, 0).failures,
        [],
      );
    });
  });

  it("decodes to a type that names every input", () => {
    const decoded = schema.codec.decode(schema.check({ groupId }, 0).inputs);
    assert.ok(decoded._tag === "Right");
    const value: { groupId: string; targetGroupId: string; targetName?: string; waitForCompletion: boolean } =
      decoded.right;
    assert.strictEqual(value.groupId, groupId);
    assert.ok(t.boolean.is(value.waitForCompletion));
  });

  it("treats a changed verify as an update of the same restore, never a new one", () => {
    assert.ok(commonDiffRules.updateOnChange.includes("verify"));
    assert.ok(!(commonDiffRules.replaceOnChange as readonly string[]).includes("verify"));
  });
});
