import assert from "node:assert";

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as t from "io-ts";

import {
  AtlasId,
  AtlasName,
  checkFields,
  commonDefaults,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  known,
  MAX_INT32,
  MAX_PRINTED_NAME_LENGTH,
  MIN_TIMESTAMP_SECONDS,
  OplogIncrement,
  printableName,
  TimestampSeconds,
  Triggers,
  UNKNOWN,
  WaitSeconds,
} from "../../../provider/restore/input-fields";

const accepts = (codec: t.Mixed, value: unknown) => codec.decode(value)._tag === "Right";
const label = (value: unknown) =>
  typeof value === "number" ? String(value) : (JSON.stringify(value) ?? "undefined");

/** Runs one codec over values it must accept and values it must refuse. */
function boundaries(codec: t.Mixed, good: unknown[], bad: unknown[]) {
  for (const value of good) {
    it(`accepts ${label(value)}`, () => assert.strictEqual(accepts(codec, value), true));
  }
  for (const value of bad) {
    it(`refuses ${label(value)}`, () => assert.strictEqual(accepts(codec, value), false));
  }
}

describe("field codecs", () => {
  it("uses Pulumi's own placeholder for unknown values", () => {
    assert.strictEqual(UNKNOWN, unknownValue);
  });

  describe("AtlasId", () => {
    boundaries(
      AtlasId,
      ["0123456789abcdef01234567", "ffffffffffffffffffffffff"],
      [
        "",
        "0123456789abcdef0123456", // 23
        "0123456789abcdef012345678", // 25
        "0123456789ABCDEF01234567", // upper case
        "0123456789abcdef0123456g",
        " 0123456789abcdef01234567",
        "0123456789abcdef01234567\n",
        "0123456789abcdéf01234567",
        1234567890,
        null,
        undefined,
      ],
    );
    it("names what it expects", () => assert.strictEqual(AtlasId.name, "24-hexadecimal id (^[a-f0-9]{24}$)"));
  });

  describe("AtlasName", () => {
    boundaries(
      AtlasName,
      ["a", "7", "prod", "Prod-01", "a-", "x".repeat(64)],
      ["", "-prod", "prod_1", "prod.1", "prod 1", "pród", "日本", "x".repeat(65), 1, null],
    );
    it("names what it expects, the length limit included", () =>
      assert.strictEqual(
        AtlasName.name,
        "name of letters, digits and hyphens starting with a letter or digit, at most 64 characters",
      ));
  });

  describe("TimestampSeconds", () => {
    boundaries(
      TimestampSeconds,
      [MIN_TIMESTAMP_SECONDS, 1700000000, MAX_INT32],
      [MIN_TIMESTAMP_SECONDS - 1, MAX_INT32 + 1, 1700000000.5, "1700000000", NaN, Infinity, -1, 0, null],
    );
    it("spans 2008-01-01T00:00:00Z to the largest int32", () => {
      assert.strictEqual(new Date(MIN_TIMESTAMP_SECONDS * 1000).toISOString(), "2008-01-01T00:00:00.000Z");
      assert.strictEqual(MAX_INT32, 2 ** 31 - 1);
    });
    it("names its range", () =>
      assert.strictEqual(
        TimestampSeconds.name,
        "integer of seconds since the epoch from 1199145600 to 2147483647",
      ));
  });

  describe("OplogIncrement", () => {
    boundaries(OplogIncrement, [1, 2, MAX_INT32], [0, -1, 1.5, MAX_INT32 + 1, "1", null]);
    it("names its range", () => assert.strictEqual(OplogIncrement.name, "integer from 1 to 2147483647"));
  });

  describe("WaitSeconds", () => {
    boundaries(WaitSeconds, [1, 3600, 604800], [0, -1, 604801, 1.5, "60", null]);
    it("names its range", () => assert.strictEqual(WaitSeconds.name, "integer of seconds from 1 to 604800"));
  });

  describe("Triggers", () => {
    boundaries(Triggers, [[], ["2026-11-28", 1, { a: [true] }, null]], ["2026-11-28", {}, 1, null]);
  });

  it("tells known values from absent and unknown ones", () => {
    assert.deepStrictEqual([0, "", false, "x", undefined, null, UNKNOWN].map(known), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe("checkFields", () => {
  const required = { groupId: AtlasId, clusterName: AtlasName };
  const optional = { oplogInc: OplogIncrement, waitForCompletion: t.boolean };
  const good = { groupId: "0123456789abcdef01234567", clusterName: "prod" };

  it("accepts complete, valid inputs", () => {
    assert.deepStrictEqual(checkFields(good, required, optional), []);
    assert.deepStrictEqual(
      checkFields({ ...good, oplogInc: 1, waitForCompletion: false }, required, optional),
      [],
    );
  });

  it("refuses unknown properties", () => {
    assert.deepStrictEqual(checkFields({ ...good, clustername: "prod" }, required, optional), [
      { property: "clustername", reason: "unknown property" },
    ]);
  });

  it("refuses properties named like members of every object", () => {
    for (const key of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
      // JSON.parse makes even `__proto__` an own, enumerable property, as deserialized inputs are.
      const raw = { ...good, ...JSON.parse(`{"${key}": "x"}`) };
      assert.deepStrictEqual(checkFields(raw, required, optional), [
        { property: key, reason: "unknown property" },
      ]);
    }
  });

  it("names missing required properties and what they expect; null counts as missing", () => {
    assert.deepStrictEqual(checkFields({ clusterName: null }, required, optional), [
      { property: "groupId", reason: "required, expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
      {
        property: "clusterName",
        reason:
          "required, expected name of letters, digits and hyphens starting with a letter or digit, at most 64 characters",
      },
    ]);
  });

  it("lets optional properties be absent, undefined or null", () => {
    assert.deepStrictEqual(
      checkFields({ ...good, oplogInc: undefined, waitForCompletion: null }, required, optional),
      [],
    );
  });

  it("reports every failure at once, each naming its property, never its value", () => {
    const failures = checkFields(
      { groupId: "mdb_sa_sk_SECRET", oplogInc: 0, waitForCompletion: "yes", extra: "https://secret.example" },
      required,
      optional,
    );
    assert.deepStrictEqual(failures, [
      { property: "extra", reason: "unknown property" },
      { property: "groupId", reason: "expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
      {
        property: "clusterName",
        reason:
          "required, expected name of letters, digits and hyphens starting with a letter or digit, at most 64 characters",
      },
      { property: "oplogInc", reason: "expected integer from 1 to 2147483647" },
      { property: "waitForCompletion", reason: "expected boolean" },
    ]);
    assert.ok(!JSON.stringify(failures).includes("SECRET"));
    assert.ok(!JSON.stringify(failures).includes("secret.example"));
  });

  it("skips values Pulumi does not know yet, required ones included", () => {
    assert.deepStrictEqual(
      checkFields({ groupId: UNKNOWN, clusterName: UNKNOWN, oplogInc: UNKNOWN }, required, optional),
      [],
    );
  });

  it("ignores __provider and properties set to undefined", () => {
    assert.deepStrictEqual(
      checkFields({ ...good, __provider: "exports.handler = …", leftover: undefined }, required, optional),
      [],
    );
  });
});

describe("commonDefaults", () => {
  it("waits three hours for the job and, when the restore writes to a target, for the target", () => {
    assert.strictEqual(DEFAULT_WAIT_TIMEOUT_SECONDS, 10800);
    assert.deepStrictEqual(commonDefaults({}, true), {
      waitForCompletion: true,
      waitTimeoutSeconds: 10800,
      waitForTarget: true,
    });
    assert.deepStrictEqual(commonDefaults({}, false), {
      waitForCompletion: true,
      waitTimeoutSeconds: 10800,
      waitForTarget: false,
    });
  });

  it("keeps what the user gave, false and unknown values included, and nothing else", () => {
    const raw = { waitForCompletion: false, waitTimeoutSeconds: 60, waitForTarget: false, groupId: "g" };
    assert.deepStrictEqual(commonDefaults(raw, true), {
      waitForCompletion: false,
      waitTimeoutSeconds: 60,
      waitForTarget: false,
    });
    assert.strictEqual(commonDefaults({ waitForTarget: true }, false).waitForTarget, true);
    assert.strictEqual(commonDefaults({ waitTimeoutSeconds: UNKNOWN }, true).waitTimeoutSeconds, UNKNOWN);
  });

  it("treats null as absent", () => {
    assert.deepStrictEqual(
      commonDefaults({ waitForCompletion: null, waitTimeoutSeconds: null, waitForTarget: null }, true),
      { waitForCompletion: true, waitTimeoutSeconds: 10800, waitForTarget: true },
    );
  });
});

describe("printableName", () => {
  it("keeps an ordinary name as it is", () => {
    assert.strictEqual(printableName("clustername"), "clustername");
  });

  it("escapes control characters, which would reach the terminal", () => {
    assert.strictEqual(printableName("a\u001b[2Jb\nc"), "a\\u001b[2Jb\\u000ac");
  });

  it("cuts a huge name and says how long it was", () => {
    const name = "k".repeat(1_000_000);
    const printed = printableName(name);
    assert.strictEqual(printed, `${"k".repeat(MAX_PRINTED_NAME_LENGTH)}… (1000000 characters)`);
  });

  it("is what checkFields reports for an unknown property", () => {
    const failures = checkFields({ ["x".repeat(1_000_000)]: 1, "e\u0007vil": 2 }, {}, {});
    assert.deepStrictEqual(failures, [
      {
        property: `${"x".repeat(MAX_PRINTED_NAME_LENGTH)}… (1000000 characters)`,
        reason: "unknown property",
      },
      { property: "e\\u0007vil", reason: "unknown property" },
    ]);
  });
});
