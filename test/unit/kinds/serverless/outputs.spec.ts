import assert from "node:assert";

import {
  checkServerlessInputs,
  ServerlessRestoreJobInputs,
} from "../../../../provider/kinds/serverless/inputs";
import { serverlessOutputs } from "../../../../provider/kinds/serverless/outputs";
import { jobFixture } from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e1";
const SNAPSHOT = "5f0e1d2c3b4a596877665544";

function inputs(raw: Record<string, unknown>): ServerlessRestoreJobInputs {
  const checked = checkServerlessInputs({ groupId: GROUP, clusterName: "prod", ...raw }, 1_800_000_000);
  assert.deepStrictEqual(checked.failures, []);
  const decoded = ServerlessRestoreJobInputs.decode(checked.inputs);
  assert.strictEqual(decoded._tag, "Right");
  return decoded.right;
}

const automated = inputs({ deliveryType: "automated", targetClusterName: "staging-orders" });
const decided = { snapshotId: SNAPSHOT, snapshotSource: "latest" } as const;

describe("serverless restore outputs", () => {
  it("records a serverless job's fields one by one, its flags false when absent", () => {
    const job = jobFixture({ id: JOB, finishedAt: "2026-11-28T12:00:00Z", expired: undefined });
    assert.deepStrictEqual(serverlessOutputs(automated, { api: "serverless", job }, decided), {
      ...automated,
      restoreJobId: JOB,
      status: "COMPLETED",
      api: "serverless",
      snapshotId: SNAPSHOT,
      snapshotSource: "latest",
      targetIsSource: false,
      targetClusterName: "staging-orders",
      targetGroupId: GROUP,
      failed: false,
      cancelled: false,
      expired: false,
      finishedAt: "2026-11-28T12:00:00Z",
      timestamp: "2026-11-28T11:00:00Z",
      deliveryUrl: [],
    });
  });

  it("keeps the oplog point of a point-in-time job, and nothing of its payload it does not know", () => {
    const pit = inputs({
      deliveryType: "pointInTime",
      targetClusterName: "staging-orders",
      pointInTimeUTCSeconds: 1_700_000_000,
    });
    const job = {
      ...jobFixture({ id: JOB, desiredTimestamp: { date: "2023-11-14T22:13:20Z", increment: 1 } }),
      restoreWindowDays: 7,
    };
    const outs = serverlessOutputs(
      pit,
      { api: "serverless", job },
      { snapshotId: undefined, snapshotSource: "job" },
    );
    assert.deepStrictEqual(outs.desiredTimestamp, { date: "2023-11-14T22:13:20Z", increment: 1 });
    assert.strictEqual(outs.targetIsSource, false);
    assert.strictEqual(Object.hasOwn(outs, "restoreWindowDays"), false);
  });

  it("records a Flex job that stands in for a serverless one in the serverless shape", () => {
    const rollback = inputs({ deliveryType: "automated", targetClusterName: "prod" });
    const job = {
      id: JOB,
      status: "FAILED",
      deliveryType: "RESTORE",
      snapshotId: SNAPSHOT,
      restoreFinishedDate: "2026-11-28T12:00:00Z",
      snapshotFinishedDate: "2026-11-28T11:00:00Z",
      expirationDate: "2026-11-29T12:00:00Z",
    };
    assert.deepStrictEqual(serverlessOutputs(rollback, { api: "flex", job }, decided), {
      ...rollback,
      restoreJobId: JOB,
      status: "FAILED",
      api: "flex",
      snapshotId: SNAPSHOT,
      snapshotSource: "latest",
      targetIsSource: true,
      targetClusterName: "prod",
      targetGroupId: GROUP,
      failed: true,
      cancelled: false,
      expired: false,
      finishedAt: "2026-11-28T12:00:00Z",
      expiresAt: "2026-11-29T12:00:00Z",
      timestamp: "2026-11-28T11:00:00Z",
      deliveryUrl: [],
    });
  });

  it("gives a Flex download's link as the serverless job's delivery URLs", () => {
    const download = inputs({ deliveryType: "download" });
    const job = {
      id: JOB,
      status: "COMPLETED",
      deliveryType: "DOWNLOAD",
      snapshotUrl: "https://x.test/a.tgz",
    };
    const outs = serverlessOutputs(download, { api: "flex", job }, decided);
    assert.deepStrictEqual(outs.deliveryUrl, ["https://x.test/a.tgz"]);
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.targetClusterName, "prod", "a download names the source, as its default target");
  });
});
