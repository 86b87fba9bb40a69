import assert from "node:assert";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { detectingSpec, noCancelFor } from "../../provider/detection/spec";
import { cancellableRestore } from "../../provider/kinds/cluster/destroy";
import { clusterSpec } from "../../provider/kinds/cluster/spec";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle, Session } from "../../provider/restore/types";
import { systemClock } from "../../provider/waiting/clock";
import { contractCheckedSession } from "../helpers/contract-adapter";
import { asTheEngineRunsIt } from "../helpers/engine";

/**
 * `ClusterRestoreJob` and `RestoreJob` over real HTTP against the emulator, without the engine. Every
 * answer the provider receives from an Atlas route is checked against the OpenAPI subsets on the way
 * in, so these tests also prove that the provider reads the contract, not the emulator.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
/** A completed snapshot of analytics-flex whose restores succeed (its newest fails on purpose). */
const FLEX_SNAPSHOT = "6650a1b2c3d4e5f6a7b8cd10";

describe("integration: dedicated clusters over HTTP against the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let session: Session;
  let cluster: Lifecycle;
  let detecting: Lifecycle;
  const messages: string[] = [];
  const operations: string[] = [];

  const checked = async (lifecycle: Lifecycle, raw: Record<string, unknown>) => {
    const result = await lifecycle.check({}, { ...raw, __provider: "provider" });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  const count = (operationId: string) => operations.filter((o) => o === operationId).length;
  const setOptions = (options: Record<string, unknown>) =>
    fetch(`${emulator.url}/__emulator/options`, { method: "PATCH", body: JSON.stringify(options) });

  beforeEach(async () => {
    emulator = await startEmulator({ restoreDurationMs: 300, snapshotDurationMs: 300 });
    session = contractCheckedSession(emulator.url, operations, {
      info: (m) => messages.push(m),
      warn: (m) => messages.push(`warning: ${m}`),
    });
    cluster = asTheEngineRunsIt(
      cancellableRestore(
        createLifecycles(clusterSpec, () => session, systemClock),
        () => session,
      ),
    );
    detecting = asTheEngineRunsIt(
      cancellableRestore(
        createLifecycles(detectingSpec, () => session, systemClock),
        () => session,
        noCancelFor,
      ),
    );
    messages.length = 0;
    operations.length = 0;
  });
  afterEach(() => emulator.close());

  const automated = {
    groupId: PRODUCTION,
    clusterName: "prod-cluster",
    deliveryType: "automated",
    targetGroupId: STAGING,
    targetClusterName: "staging-cluster",
  };

  it("automated: restores the newest completed snapshot into another project and waits for IDLE", async () => {
    const { id, outs } = await cluster.create(await checked(cluster, automated));
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.snapshotSource, "latest");
    assert.strictEqual(outs.targetReady, true);
    assert.strictEqual(count("createGroupClusterBackupRestoreJob"), 1);
    assert.ok(count("getGroupCluster") >= 1);
    const read = await cluster.read(id, outs);
    assert.strictEqual(read.props.status, "COMPLETED");
  });

  it("pointInTime: by seconds and by oplog point, no snapshot chosen", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const moment of [{ pointInTimeUTCSeconds: now - 3600 }, { oplogTs: now - 1800, oplogInc: 1 }]) {
      const { outs } = await cluster.create(
        await checked(cluster, { ...automated, deliveryType: "pointInTime", ...moment }),
      );
      assert.strictEqual(outs.status, "COMPLETED");
      assert.strictEqual(outs.snapshotSource, "job");
    }
    assert.strictEqual(count("listGroupClusterBackupSnapshots"), 0);
  });

  it("download of a sharded cluster: one link per shard", async () => {
    const inputs = await checked(cluster, {
      groupId: PRODUCTION,
      clusterName: "prod-sharded",
      deliveryType: "download",
    });
    const { outs } = await cluster.create(inputs);
    assert.strictEqual(outs.status, "COMPLETED");
    const components = outs.components as { replicaSetName: string; downloadUrl: string }[];
    assert.ok(components.length >= 2);
    assert.ok(components.every((c) => /^http/.test(c.downloadUrl)));
    assert.ok(!messages.some((m) => m.includes("http")), "no link in any message");
  });

  it("a fresh snapshot: one snapshot taken and waited for, one job restoring exactly it", async () => {
    const inputs = await checked(cluster, { ...automated, takeSnapshot: { retentionInDays: 1 } });
    const { outs } = await cluster.create(inputs);
    assert.strictEqual(outs.snapshotSource, "new");
    assert.strictEqual(count("takeGroupClusterBackupSnapshots"), 1);
    assert.strictEqual(count("createGroupClusterBackupRestoreJob"), 1);
    const snapshot = await session.client.getClusterSnapshot(
      PRODUCTION,
      "prod-cluster",
      String(outs.snapshotId),
    );
    assert.strictEqual(snapshot.status, "completed");
    assert.strictEqual(snapshot.snapshotType, "onDemand");
  });

  it("destroy with onDestroy cancel: a download is cancelled, an automated restore is not, a sharded 405 is a message", async () => {
    const running = async (raw: Record<string, unknown>) =>
      cluster.create(await checked(cluster, { ...raw, waitForCompletion: false, onDestroy: "cancel" }));
    const download = { groupId: PRODUCTION, clusterName: "prod-cluster", deliveryType: "download" };
    const replicaSet = await running(download);
    await cluster.delete(replicaSet.id, replicaSet.outs);
    const cancelled = await session.client.getClusterRestoreJob(PRODUCTION, "prod-cluster", replicaSet.id);
    assert.strictEqual(cancelled.cancelled, true);

    const restore = await running(automated);
    await cluster.delete(restore.id, restore.outs);
    assert.ok(
      messages.some((m) =>
        /onDestroy is cancel, but Atlas cancels download restores only; forgetting/.test(m),
      ),
      messages.join("\n"),
    );
    const kept = await session.client.getClusterRestoreJob(PRODUCTION, "prod-cluster", restore.id);
    assert.strictEqual(kept.cancelled, false, "the restore goes on in Atlas");

    const sharded = await running({ ...download, clusterName: "prod-sharded" });
    await cluster.delete(sharded.id, sharded.outs);
    assert.ok(messages.some((m) => m.includes("405 ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED")));
    assert.strictEqual(count("cancelGroupClusterBackupRestoreJob"), 2, "never for the automated restore");
  });

  it("answers lost after Atlas acted: still one snapshot and one job", async () => {
    await setOptions({
      faults: ["takeGroupClusterBackupSnapshots", "createGroupClusterBackupRestoreJob"].map(
        (operationId) => ({
          operationId,
          action: "drop-response-after-commit",
          count: 1,
        }),
      ),
    });
    const { outs } = await cluster.create(await checked(cluster, { ...automated, takeSnapshot: {} }));
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.snapshotSource, "new");
    // Counted by the emulator: the answers lost never reached the provider.
    const { byOperation } = (await (await fetch(`${emulator.url}/__emulator/counters`)).json()) as {
      byOperation: Record<string, number>;
    };
    assert.strictEqual(byOperation.takeGroupClusterBackupSnapshots, 1);
    assert.strictEqual(byOperation.createGroupClusterBackupRestoreJob, 1);
    assert.ok(messages.some((m) => m.includes("got no clear answer")));
    const jobs = await session.client.listClusterRestoreJobs(PRODUCTION, "prod-cluster");
    assert.deepStrictEqual(
      jobs.map((job) => job.id),
      [outs.restoreJobId],
    );
  });

  describe("kind detection (RestoreJob)", () => {
    const flexRestore = {
      groupId: PRODUCTION,
      deliveryType: "automated",
      targetClusterName: "staging-orders",
    };

    it("a dedicated cluster: the clusters API", async () => {
      const { outs } = await detecting.create(await checked(detecting, automated));
      assert.strictEqual(outs.kind, "cluster");
      assert.strictEqual(outs.status, "COMPLETED");
      assert.strictEqual(count("createGroupClusterBackupRestoreJob"), 1);
    });

    it("a Flex cluster: the Flex API, and no point in time", async () => {
      const inputs = { ...flexRestore, clusterName: "analytics-flex", snapshotId: FLEX_SNAPSHOT };
      const { outs } = await detecting.create(await checked(detecting, inputs));
      assert.strictEqual(outs.kind, "flex");
      assert.strictEqual(outs.status, "COMPLETED");
      assert.strictEqual(count("createGroupFlexClusterBackupRestoreJob"), 1);
      const pit = { ...flexRestore, clusterName: "analytics-flex", deliveryType: "pointInTime" };
      await assert.rejects(
        detecting.create(
          await checked(detecting, { ...pit, pointInTimeUTCSeconds: Math.floor(Date.now() / 1000) - 60 }),
        ),
        { message: "pointInTime restores are not available for Flex clusters: analytics-flex" },
      );
      assert.strictEqual(count("createGroupFlexClusterBackupRestoreJob"), 1);
    });

    for (const [sunset, kind] of [
      ["off", "serverless"],
      ["migrated", "flex"],
    ]) {
      it(`a serverless instance (sunset ${sunset}): the serverless path, kind ${kind}`, async () => {
        await setOptions({ sunset });
        const { outs } = await detecting.create(
          await checked(detecting, { ...flexRestore, clusterName: "prod-orders" }),
        );
        assert.strictEqual(outs.status, "COMPLETED");
        assert.strictEqual(outs.kind, kind);
        assert.strictEqual(outs.api, kind);
      });
    }
  });
});
