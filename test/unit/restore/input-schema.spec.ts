import assert from "node:assert";

import * as t from "io-ts";

import { AtlasId, AtlasName, DEFAULT_WAIT_TIMEOUT_SECONDS } from "../../../provider/restore/input-fields";
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

  it("decodes to a type that names every input", () => {
    const decoded = schema.codec.decode(schema.check({ groupId }, 0).inputs);
    assert.ok(decoded._tag === "Right");
    const value: { groupId: string; targetGroupId: string; targetName?: string; waitForCompletion: boolean } =
      decoded.right;
    assert.strictEqual(value.groupId, groupId);
    assert.ok(t.boolean.is(value.waitForCompletion));
  });
});
