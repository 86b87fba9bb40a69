import assert from "node:assert";

import {
  checkServerlessInputs,
  ServerlessRestoreJobInputs,
} from "../../../../provider/kinds/serverless/inputs";
import { UNKNOWN } from "../../../../provider/restore/input-fields";

const GROUP = "0123456789abcdef01234567";
const OTHER_GROUP = "fedcba9876543210fedcba98";
const SNAPSHOT = "aaaaaaaaaaaaaaaaaaaaaaaa";
/** "Now" for every check: 2027-01-15T08:00:00Z. */
const NOW = 1_800_000_000;
const PAST = 1_700_000_000;

const automated = {
  groupId: GROUP,
  clusterName: "prod",
  deliveryType: "automated",
  targetClusterName: "stage",
};
const download = { groupId: GROUP, clusterName: "prod", deliveryType: "download" };
const pointInTime = {
  groupId: GROUP,
  clusterName: "prod",
  deliveryType: "pointInTime",
  targetClusterName: "stage",
  pointInTimeUTCSeconds: PAST,
};
const byOplog = { ...pointInTime, pointInTimeUTCSeconds: undefined, oplogTs: PAST, oplogInc: 1 };

type Failures = { property: string; reason: string }[];

describe("serverless restore job inputs", () => {
  describe("defaults", () => {
    it("fills in the target project, the fallback and the waits for an automated restore", () => {
      const { inputs, failures } = checkServerlessInputs(automated, NOW);
      assert.deepStrictEqual(failures, []);
      assert.deepStrictEqual(inputs, {
        ...automated,
        targetGroupId: GROUP,
        apiFallback: "flex",
        waitForCompletion: true,
        waitTimeoutSeconds: 10800,
        waitForTarget: true,
      });
    });

    it("targets a download at its source instance and does not wait for the target", () => {
      const { inputs, failures } = checkServerlessInputs(download, NOW);
      assert.deepStrictEqual(failures, []);
      assert.deepStrictEqual(inputs, {
        ...download,
        targetClusterName: "prod",
        targetGroupId: GROUP,
        apiFallback: "flex",
        waitForCompletion: true,
        waitTimeoutSeconds: 10800,
        waitForTarget: false,
      });
    });

    const waitsForTarget: [string, Record<string, unknown>, boolean][] = [
      ["automated", automated, true],
      ["pointInTime", pointInTime, true],
      ["download", download, false],
    ];
    for (const [type, raw, expected] of waitsForTarget) {
      it(`${expected ? "waits" : "does not wait"} for the target of a${type === "automated" ? "n" : ""} ${type} restore by default`, () => {
        const { inputs } = checkServerlessInputs(raw, NOW);
        assert.strictEqual(inputs.waitForTarget, expected);
        assert.strictEqual(inputs.waitForCompletion, true);
        assert.strictEqual(inputs.waitTimeoutSeconds, 10800);
        assert.strictEqual(inputs.targetGroupId, GROUP);
        assert.strictEqual(inputs.apiFallback, "flex");
      });
    }

    it("keeps every value the user gave", () => {
      const given = {
        ...download,
        targetClusterName: "elsewhere",
        targetGroupId: OTHER_GROUP,
        apiFallback: "none",
        waitForCompletion: false,
        waitTimeoutSeconds: 60,
        waitForTarget: true,
        triggers: ["2026-11-28"],
      };
      assert.deepStrictEqual(checkServerlessInputs(given, NOW), { inputs: given, failures: [] });
    });

    it("drops undefined and null, so that the checked inputs decode", () => {
      const { inputs, failures } = checkServerlessInputs(
        { ...download, snapshotId: null, targetClusterName: null, waitTimeoutSeconds: undefined },
        NOW,
      );
      assert.deepStrictEqual(failures, []);
      assert.strictEqual("snapshotId" in inputs, false);
      assert.strictEqual(inputs.targetClusterName, "prod");
      assert.strictEqual(inputs.waitTimeoutSeconds, 10800);
      assert.strictEqual(ServerlessRestoreJobInputs.decode(inputs)._tag, "Right");
    });
  });

  describe("accepted inputs decode as ServerlessRestoreJobInputs", () => {
    const valid: [string, Record<string, unknown>][] = [
      ["automated, latest snapshot", automated],
      ["automated, given snapshot", { ...automated, snapshotId: SNAPSHOT }],
      ["download", download],
      ["pointInTime by time", pointInTime],
      ["pointInTime by time, exactly now", { ...pointInTime, pointInTimeUTCSeconds: NOW }],
      ["pointInTime by oplog", byOplog],
      [
        "adoption of an existing job",
        { ...automated, existingRestoreJobId: SNAPSHOT, triggers: [1, { a: 2 }] },
      ],
    ];
    for (const [title, raw] of valid) {
      it(title, () => {
        const { inputs, failures } = checkServerlessInputs(raw, NOW);
        assert.deepStrictEqual(failures, []);
        const decoded = ServerlessRestoreJobInputs.decode(inputs);
        assert.ok(decoded._tag === "Right");
        assert.deepStrictEqual(decoded.right, inputs);
      });
    }
  });

  describe("check rules", () => {
    const cases: [string, Record<string, unknown>, Failures][] = [
      [
        "automated needs a target",
        { ...automated, targetClusterName: undefined },
        [{ property: "targetClusterName", reason: "required for deliveryType automated" }],
      ],
      [
        "pointInTime needs a target",
        { ...pointInTime, targetClusterName: undefined },
        [{ property: "targetClusterName", reason: "required for deliveryType pointInTime" }],
      ],
      [
        "pointInTime refuses a time and an oplog position together",
        { ...pointInTime, oplogTs: PAST, oplogInc: 1 },
        [
          {
            property: "pointInTimeUTCSeconds",
            reason: "give either pointInTimeUTCSeconds or oplogTs with oplogInc, not both",
          },
        ],
      ],
      [
        "pointInTime refuses a time with half an oplog position",
        { ...pointInTime, oplogInc: 1 },
        [
          {
            property: "pointInTimeUTCSeconds",
            reason: "give either pointInTimeUTCSeconds or oplogTs with oplogInc, not both",
          },
        ],
      ],
      [
        "pointInTime needs a time or an oplog position",
        { ...pointInTime, pointInTimeUTCSeconds: undefined },
        [
          {
            property: "pointInTimeUTCSeconds",
            reason: "required for deliveryType pointInTime, unless oplogTs and oplogInc are given",
          },
        ],
      ],
      [
        "oplogTs needs oplogInc",
        { ...byOplog, oplogInc: undefined },
        [{ property: "oplogInc", reason: "required with oplogTs" }],
      ],
      [
        "oplogInc needs oplogTs",
        { ...byOplog, oplogTs: null },
        [{ property: "oplogTs", reason: "required with oplogInc" }],
      ],
      [
        "pointInTime refuses a snapshot",
        { ...pointInTime, snapshotId: SNAPSHOT },
        [{ property: "snapshotId", reason: "not used with deliveryType pointInTime" }],
      ],
      [
        "pointInTime refuses a time in the future",
        { ...pointInTime, pointInTimeUTCSeconds: NOW + 1 },
        [{ property: "pointInTimeUTCSeconds", reason: "must not be in the future" }],
      ],
      [
        "pointInTime refuses an oplog position in the future",
        { ...byOplog, oplogTs: NOW + 1 },
        [{ property: "oplogTs", reason: "must not be in the future" }],
      ],
      [
        "automated refuses point-in-time fields",
        { ...automated, pointInTimeUTCSeconds: PAST, oplogTs: PAST, oplogInc: 1 },
        [
          { property: "pointInTimeUTCSeconds", reason: "only used with deliveryType pointInTime" },
          { property: "oplogTs", reason: "only used with deliveryType pointInTime" },
          { property: "oplogInc", reason: "only used with deliveryType pointInTime" },
        ],
      ],
      [
        "download refuses point-in-time fields",
        { ...download, oplogInc: 1 },
        [{ property: "oplogInc", reason: "only used with deliveryType pointInTime" }],
      ],
      [
        "field values are checked by their codecs",
        {
          ...automated,
          snapshotId: "latest",
          targetGroupId: "project",
          apiFallback: "flexible",
          waitTimeoutSeconds: 604801,
          waitForTarget: "yes",
        },
        [
          { property: "snapshotId", reason: "expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
          { property: "targetGroupId", reason: "expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
          { property: "apiFallback", reason: 'expected "flex" | "none"' },
          { property: "waitTimeoutSeconds", reason: "expected integer of seconds from 1 to 604800" },
          { property: "waitForTarget", reason: "expected boolean" },
        ],
      ],
      [
        "an unknown delivery type names the choices",
        { ...automated, deliveryType: "snapshot" },
        [{ property: "deliveryType", reason: 'expected "automated" | "download" | "pointInTime"' }],
      ],
    ];
    for (const [title, raw, expected] of cases) {
      it(title, () => assert.deepStrictEqual(checkServerlessInputs(raw, NOW).failures, expected));
    }

    it("reports every failure at once, each naming its property, never a value", () => {
      const failures = checkServerlessInputs(
        {
          groupId: "mdb_sa_sk_SECRET",
          deliveryType: "pointInTime",
          snapshotId: SNAPSHOT,
          pointInTimeUTCSeconds: NOW + 60,
          oplogTs: 1_000_000_000,
          waitForCompletion: "https://secret.example/",
          sourceCluster: "prod",
        },
        NOW,
      ).failures;
      assert.deepStrictEqual(failures, [
        { property: "sourceCluster", reason: "unknown property" },
        { property: "groupId", reason: "expected 24-hexadecimal id (^[a-f0-9]{24}$)" },
        {
          property: "clusterName",
          reason:
            "required, expected name of letters, digits and hyphens starting with a letter or digit, at most 64 characters",
        },
        {
          property: "oplogTs",
          reason: "expected integer of seconds since the epoch from 1199145600 to 2147483647",
        },
        { property: "waitForCompletion", reason: "expected boolean" },
        { property: "targetClusterName", reason: "required for deliveryType pointInTime" },
        {
          property: "pointInTimeUTCSeconds",
          reason: "give either pointInTimeUTCSeconds or oplogTs with oplogInc, not both",
        },
        { property: "snapshotId", reason: "not used with deliveryType pointInTime" },
        { property: "pointInTimeUTCSeconds", reason: "must not be in the future" },
      ]);
      assert.ok(!JSON.stringify(failures).includes("SECRET"));
      assert.ok(!JSON.stringify(failures).includes("secret.example"));
    });

    it("skips values Pulumi does not know yet during preview", () => {
      const unknowns: Record<string, unknown>[] = [
        { ...pointInTime, groupId: UNKNOWN, targetClusterName: UNKNOWN, pointInTimeUTCSeconds: UNKNOWN },
        { ...byOplog, oplogTs: UNKNOWN },
        { ...automated, deliveryType: UNKNOWN, oplogInc: 1 },
      ];
      for (const raw of unknowns) assert.deepStrictEqual(checkServerlessInputs(raw, NOW).failures, []);
    });
  });
});
