import assert from "node:assert";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, type Stack } from "./harness";

/**
 * `ClusterRestoreJob` and `RestoreJob` under the real engine against the emulator: what a user runs,
 * checked by what Atlas saw (the emulator's counters) and what state recorded.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
/** A completed snapshot of analytics-flex whose restores succeed (its newest fails on purpose). */
const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd10";

const automated = {
  groupId: PRODUCTION,
  clusterName: "prod-cluster",
  deliveryType: "automated",
  targetGroupId: STAGING,
  targetClusterName: "staging-cluster",
};

describe("end to end: dedicated clusters under the real engine", function () {
  this.timeout(15 * 60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let counter = 0;

  async function stack(args: Record<string, unknown>, kind = "cluster"): Promise<Stack> {
    await admin.reset();
    return fixtureStack(`c${++counter}`, home, emulator.url, args, kind);
  }
  const calls = async (operationId: string) => (await admin.counters()).byOperation[operationId] ?? 0;

  before(async () => {
    emulator = await startEmulator({ restoreDurationMs: 500, snapshotDurationMs: 500 });
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
  });
  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("a fresh snapshot: one snapshot, one job; a second up takes no other; destroy forgets", async () => {
    const s = await stack({ ...automated, takeSnapshot: { retentionInDays: 1 } });
    await s.up();
    const outputs = await s.outputs();
    assert.strictEqual(outputs.status, "COMPLETED");
    assert.strictEqual(outputs.snapshotSource, "new");
    assert.strictEqual(outputs.targetReady, true);
    await s.up();
    assert.strictEqual(await calls("takeGroupClusterBackupSnapshots"), 1);
    assert.strictEqual(await calls("createGroupClusterBackupRestoreJob"), 1);
    assert.strictEqual((await s.outputs()).snapshotId, outputs.snapshotId);
    await s.destroy();
    assert.strictEqual(await calls("cancelGroupClusterBackupRestoreJob"), 0);
    await s.remove();
  });

  for (const [deliveryType, extra] of [
    ["automated", {}],
    ["pointInTime", { pointInTimeUTCSeconds: Math.floor(Date.now() / 1000) - 3600 }],
  ] as const) {
    it(`${deliveryType}: completes and waits for the target`, async () => {
      const s = await stack({ ...automated, deliveryType, ...extra });
      await s.up();
      const outputs = await s.outputs();
      assert.strictEqual(outputs.status, "COMPLETED");
      assert.strictEqual(outputs.targetReady, true);
      await s.destroy();
      await s.remove();
    });
  }

  it("a sharded download: component links are secrets, in output and in state", async () => {
    const s = await stack({ groupId: PRODUCTION, clusterName: "prod-sharded", deliveryType: "download" });
    const up = await s.up();
    const outputs = await s.outputs();
    assert.strictEqual(outputs.status, "COMPLETED");
    assert.strictEqual(outputs.components, "[secret]");
    assert.strictEqual(outputs.deliveryUrl, "[secret]");
    const text = await s.exportText();
    assert.ok(!text.includes(`${emulator.url}/download`), "no download link in state");
    assert.ok(!up.stdout.includes(`${emulator.url}/download`), "no download link in the up's output");
    await s.destroy();
    await s.remove();
  });

  it("onDestroy cancel: a running download is cancelled; an automated restore is not, with a message", async () => {
    await admin.reset();
    await admin.setOptions({ restoreDurationMs: 600_000 });
    const s = await fixtureStack(
      `c${++counter}`,
      home,
      emulator.url,
      {
        groupId: PRODUCTION,
        clusterName: "prod-cluster",
        deliveryType: "download",
        waitForCompletion: false,
        onDestroy: "cancel",
      },
      "cluster",
    );
    await s.up();
    const destroy = await s.destroy();
    assert.match(destroy.stdout + destroy.stderr, /restore job cancelled: [a-f0-9]{24}/);
    await s.remove();

    const restore = await fixtureStack(
      `c${++counter}`,
      home,
      emulator.url,
      { ...automated, waitForCompletion: false, onDestroy: "cancel" },
      "cluster",
    );
    await restore.up();
    const kept = await restore.destroy();
    assert.match(
      kept.stdout + kept.stderr,
      /restore: onDestroy is cancel, but Atlas cancels download restores only/,
    );
    assert.strictEqual(await calls("cancelGroupClusterBackupRestoreJob"), 1, "only the download's");
    await restore.remove();
    await admin.setOptions({ restoreDurationMs: 500 });
  });

  it("every preview-time rule names its property and sends no request", async () => {
    const s = await stack({
      groupId: PRODUCTION,
      clusterName: "prod-cluster",
      deliveryType: "download",
      targetClusterName: "staging-cluster",
      oplogInc: 1,
      takeSnapshot: { retentionInDays: 0 },
      onDestroy: "delete",
    });
    const before = await admin.atlasRequests();
    const result = await s.preview([], true);
    assert.notStrictEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    for (const property of ["targetClusterName", "oplogInc", "takeSnapshot.retentionInDays", "onDestroy"]) {
      assert.match(output, new RegExp(`${property.replace(".", "\\.")}: `), `names ${property}:\n${output}`);
    }
    assert.strictEqual(await admin.atlasRequests(), before);
    await s.remove();
  });

  const flexTarget = { targetGroupId: PRODUCTION, targetClusterName: "staging-orders" };
  for (const [title, clusterName, kind, extra] of [
    ["a dedicated cluster", "prod-cluster", "cluster", {}],
    ["a Flex cluster", "analytics-flex", "flex", { ...flexTarget, snapshotId: FLEX_SNAPSHOT }],
    ["a serverless instance migrated to Flex", "prod-orders", "flex", flexTarget],
  ] as const) {
    it(`kind detection: ${title} is restored as kind ${kind}, recorded in state`, async () => {
      const s = await stack({ ...automated, clusterName, ...extra }, "detect");
      await s.up();
      const outputs = await s.outputs();
      assert.strictEqual(outputs.status, "COMPLETED");
      assert.strictEqual(outputs.sourceKind, kind);
      const [job] = await s.restoreJobs();
      assert.strictEqual(job!.outputs.kind, kind);
      await s.refresh();
      assert.strictEqual((await s.records())[0]!.outputs.status, "COMPLETED");
      await s.destroy();
      await s.remove();
    });
  }
});
