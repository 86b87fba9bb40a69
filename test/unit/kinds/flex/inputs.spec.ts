import assert from "node:assert";

import {
  checkFlexInputs,
  DeploymentItemName,
  flexDiffRules,
  FlexRestoreJobInputs,
} from "../../../../provider/kinds/flex/inputs";
import { diffInputs } from "../../../../provider/restore/input-diff";
import { UNKNOWN } from "../../../../provider/restore/input-fields";
import { NO_CHANGE, replace, UPDATE } from "../../../helpers/diff-results";

const GROUP = "0123456789abcdef01234567";
const OTHER_GROUP = "fedcba9876543210fedcba98";
const SNAPSHOT = "aaaaaaaaaaaaaaaaaaaaaaaa";
const NOW = 1_800_000_000;
const ID = "24-hexadecimal id (^[a-f0-9]{24}$)";
const NAME = "name of letters, digits and hyphens starting with a letter or digit, at most 64 characters";
const ITEM_NAME = "name of 1 to 64 letters, digits or -_.(),:&@+'";

const minimal = { groupId: GROUP, name: "prod", targetDeploymentItemName: "stage" };
const defaults = { waitForCompletion: true, waitTimeoutSeconds: 10800, waitForTarget: true };

type Failures = { property: string; reason: string }[];

describe("flex restore job inputs", () => {
  describe("defaults", () => {
    it("restores into the source project and waits for the job and the target", () => {
      assert.deepStrictEqual(checkFlexInputs(minimal, NOW), {
        inputs: { ...minimal, targetProjectId: GROUP, ...defaults },
        failures: [],
      });
    });

    it("keeps every value the user gave", () => {
      const given = {
        ...minimal,
        snapshotId: SNAPSHOT,
        targetProjectId: OTHER_GROUP,
        waitForCompletion: false,
        waitTimeoutSeconds: 1,
        waitForTarget: false,
        existingRestoreJobId: SNAPSHOT,
        triggers: [{ day: "2026-11-28" }],
      };
      assert.deepStrictEqual(checkFlexInputs(given, NOW), { inputs: given, failures: [] });
    });

    it("treats undefined and null as absent, so that the checked inputs decode", () => {
      const { inputs, failures } = checkFlexInputs(
        { ...minimal, snapshotId: null, targetProjectId: null, waitForTarget: undefined, triggers: null },
        NOW,
      );
      assert.deepStrictEqual(failures, []);
      assert.deepStrictEqual(inputs, { ...minimal, targetProjectId: GROUP, ...defaults });
      const decoded = FlexRestoreJobInputs.decode(inputs);
      assert.ok(decoded._tag === "Right");
      assert.deepStrictEqual(decoded.right, inputs);
    });

    it("keeps __provider in the checked inputs without complaint", () => {
      const { inputs, failures } = checkFlexInputs({ ...minimal, __provider: "exports.handler = …" }, NOW);
      assert.deepStrictEqual(failures, []);
      assert.strictEqual(inputs.__provider, "exports.handler = …");
    });
  });

  describe("check rules", () => {
    const cases: [string, Record<string, unknown>, Failures][] = [
      [
        "every required property is named when missing",
        {},
        [
          { property: "groupId", reason: `required, expected ${ID}` },
          { property: "name", reason: `required, expected ${NAME}` },
          { property: "targetDeploymentItemName", reason: `required, expected ${ITEM_NAME}` },
        ],
      ],
      [
        "a serverless property is unknown here",
        { ...minimal, deliveryType: "automated", clusterName: "prod" },
        [
          { property: "deliveryType", reason: "unknown property" },
          { property: "clusterName", reason: "unknown property" },
        ],
      ],
      [
        "a malformed snapshot id",
        { ...minimal, snapshotId: "latest" },
        [{ property: "snapshotId", reason: `expected ${ID}` }],
      ],
      [
        "a malformed target project",
        { ...minimal, targetProjectId: "Project-1" },
        [{ property: "targetProjectId", reason: `expected ${ID}` }],
      ],
      [
        "a unicode source name",
        { ...minimal, name: "prød" },
        [{ property: "name", reason: `expected ${NAME}` }],
      ],
      [
        "a target name of 65 characters",
        { ...minimal, targetDeploymentItemName: "x".repeat(65) },
        [{ property: "targetDeploymentItemName", reason: `expected ${ITEM_NAME}` }],
      ],
      [
        "a wait beyond seven days",
        { ...minimal, waitTimeoutSeconds: 604801 },
        [{ property: "waitTimeoutSeconds", reason: "expected integer of seconds from 1 to 604800" }],
      ],
      [
        "triggers that are not a list",
        { ...minimal, triggers: "2026-11-28" },
        [{ property: "triggers", reason: "expected array" }],
      ],
    ];
    for (const [title, raw, expected] of cases) {
      it(`refuses ${title}`, () => assert.deepStrictEqual(checkFlexInputs(raw, NOW).failures, expected));
    }

    it("reports every failure at once, each naming its property, never a value", () => {
      const { failures } = checkFlexInputs(
        {
          groupId: "mdb_sa_sk_SECRET",
          name: "https://secret.example/",
          targetDeploymentItemName: "SECRET target",
          existingRestoreJobId: "SECRET",
          waitForCompletion: "SECRET",
          password: "SECRET",
        },
        NOW,
      );
      assert.deepStrictEqual(failures, [
        { property: "password", reason: "unknown property" },
        { property: "groupId", reason: `expected ${ID}` },
        { property: "name", reason: `expected ${NAME}` },
        { property: "targetDeploymentItemName", reason: `expected ${ITEM_NAME}` },
        { property: "waitForCompletion", reason: "expected boolean" },
        { property: "existingRestoreJobId", reason: `expected ${ID}` },
      ]);
      assert.ok(!JSON.stringify(failures).includes("SECRET"));
      assert.ok(!JSON.stringify(failures).includes("secret.example"));
    });

    it("skips values Pulumi does not know yet, and defaults the target project to an unknown one", () => {
      const { inputs, failures } = checkFlexInputs(
        { groupId: UNKNOWN, name: UNKNOWN, targetDeploymentItemName: UNKNOWN, snapshotId: UNKNOWN },
        NOW,
      );
      assert.deepStrictEqual(failures, []);
      assert.strictEqual(inputs.targetProjectId, UNKNOWN);
    });
  });

  describe("DeploymentItemName", () => {
    const accepts = (value: unknown) => DeploymentItemName.decode(value)._tag === "Right";
    const good = [
      "a",
      "x".repeat(64),
      "Stage-01",
      "_leading.underscore",
      "-leading-hyphen",
      "prød",
      "Ünïcödé",
      "日本語のクラスター",
      "кластер",
      "٣٤", // Arabic-Indic digits are digits too
      "é".repeat(64),
      "a-_.(),:&@+'b",
    ];
    const bad = [
      "",
      "x".repeat(65),
      "é".repeat(65),
      "a b",
      "a/b",
      'a"b',
      "a#b",
      "a\nb",
      "a*b",
      "😀",
      1,
      null,
      undefined,
    ];
    for (const value of good)
      it(`accepts ${JSON.stringify(value)}`, () => assert.strictEqual(accepts(value), true));
    for (const value of bad) {
      it(`refuses ${JSON.stringify(value) ?? "undefined"}`, () => assert.strictEqual(accepts(value), false));
    }

    it("is checked by its guard the same way as by decoding", () => {
      for (const value of [...good, ...bad]) assert.strictEqual(DeploymentItemName.is(value), accepts(value));
    });

    it("names what it expects", () => assert.strictEqual(DeploymentItemName.name, ITEM_NAME));
  });

  describe("flexDiffRules", () => {
    const news = {
      ...minimal,
      targetProjectId: GROUP,
      ...defaults,
      __provider: "p1",
    };
    const olds = {
      ...news,
      snapshotId: SNAPSHOT,
      snapshotSource: "latest",
      restoreJobId: "j",
      status: "COMPLETED",
    };

    it("sees no change when nothing changed, the snapshot chosen as the latest included", () => {
      assert.deepStrictEqual(diffInputs(olds, news, flexDiffRules), NO_CHANGE);
    });

    const replacing: [string, unknown][] = [
      ["groupId", OTHER_GROUP],
      ["name", "other"],
      ["snapshotId", "bbbbbbbbbbbbbbbbbbbbbbbb"],
      ["targetDeploymentItemName", "stage2"],
      ["targetProjectId", OTHER_GROUP],
      ["existingRestoreJobId", "cccccccccccccccccccccccc"],
      ["triggers", ["v2"]],
    ];
    for (const [key, value] of replacing) {
      it(`replaces on a new ${key}`, () =>
        assert.deepStrictEqual(diffInputs(olds, { ...news, [key]: value }, flexDiffRules), replace(key)));
    }

    for (const [key, value] of [
      ["waitForCompletion", false],
      ["waitTimeoutSeconds", 60],
      ["waitForTarget", false],
      ["__provider", "p2"],
    ] as const) {
      it(`updates in place on a new ${key}`, () =>
        assert.deepStrictEqual(diffInputs(olds, { ...news, [key]: value }, flexDiffRules), UPDATE));
    }

    it("compares the snapshot only when the user gave it", () => {
      const given = { ...olds, snapshotSource: "input" };
      assert.deepStrictEqual(diffInputs(given, { ...news, snapshotId: SNAPSHOT }, flexDiffRules), NO_CHANGE);
      assert.deepStrictEqual(diffInputs(given, news, flexDiffRules), replace("snapshotId"));
      assert.deepStrictEqual(diffInputs({ ...olds, snapshotSource: "job" }, news, flexDiffRules), NO_CHANGE);
    });
  });
});
