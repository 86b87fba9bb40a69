import assert from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator } from "../../../emulator";
import {
  AtlasTestClient,
  CLUSTER_IN_PROGRESS_SNAPSHOT,
  CLUSTER_SNAPSHOT,
  G,
  group,
  HOUR,
  OTHER,
  SHARDED_SNAPSHOT,
  START,
  startTestEmulator,
  TestAdmin,
  type TestEmulator,
} from "../helpers";

// Issue 12 item 6: dedicated clusters (the clusters API), every answer checked against
// openapi-subset-dedicated.json by the test client.

const CLUSTER = group(G, "/clusters/prod-cluster");
const SHARDED = group(G, "/clusters/prod-sharded");
const JOBS = `${CLUSTER}/backup/restoreJobs`;
const SHARDED_JOBS = `${SHARDED}/backup/restoreJobs`;
const code = (body: unknown) => (body as { errorCode: string }).errorCode;

type ClusterJob = {
  id: string;
  failed: boolean;
  cancelled: boolean;
  expired: boolean;
  finishedAt?: string;
  expiresAt?: string;
  deliveryUrl: string[];
  components?: Array<{ replicaSetName: string; downloadUrl?: string }>;
  snapshotId: string;
};

const automated = (overrides: Record<string, unknown> = {}) => ({
  deliveryType: "automated",
  snapshotId: CLUSTER_SNAPSHOT,
  targetClusterName: "staging-cluster",
  targetGroupId: OTHER,
  ...overrides,
});

describe("emulator dedicated clusters over HTTP", () => {
  let t: TestEmulator;
  beforeEach(
    async () => (t = await startTestEmulator({ restoreDurationMs: 1000, snapshotDurationMs: 1000 })),
  );
  afterEach(() => t.emulator.close());

  const job = async (path: string, id: string) => (await t.atlas.get(`${path}/${id}`)).body as ClusterJob;
  const stateName = async (path: string) =>
    ((await t.atlas.get(path)).body as { stateName: string }).stateName;

  it("serves the seed's replica set and sharded cluster, and refuses a Flex name on the clusters API", async () => {
    const cluster = (await t.atlas.get(CLUSTER)).body as Record<string, unknown>;
    assert.deepStrictEqual(
      [cluster.clusterType, cluster.stateName, cluster.pitEnabled],
      ["REPLICASET", "IDLE", true],
    );
    assert.strictEqual(((await t.atlas.get(SHARDED)).body as { clusterType: string }).clusterType, "SHARDED");
    const flex = await t.atlas.get(group(G, "/clusters/analytics-flex"));
    assert.deepStrictEqual([flex.status, code(flex.body)], [400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API"]);
    const missing = await t.atlas.get(group(G, "/clusters/nope"));
    assert.deepStrictEqual([missing.status, code(missing.body)], [404, "CLUSTER_NOT_FOUND"]);
  });

  it("runs an automated restore: the target leaves IDLE while it runs and comes back", async () => {
    const created = await t.atlas.post(JOBS, automated());
    assert.strictEqual(created.status, 200, "create answers 200, not 201");
    const body = created.body as ClusterJob;
    assert.deepStrictEqual(
      [body.failed, body.cancelled, body.expired, body.finishedAt],
      [false, false, false, undefined],
    );
    const target = group(OTHER, "/clusters/staging-cluster");
    assert.strictEqual(await stateName(target), "UPDATING");
    t.clock.advance(1000);
    assert.ok((await job(JOBS, body.id)).finishedAt);
    assert.strictEqual(await stateName(target), "IDLE");
    const listed = (await t.atlas.get(JOBS)).body as { results: ClusterJob[] };
    assert.deepStrictEqual(
      listed.results.map((j) => j.id),
      [body.id],
    );
    assert.strictEqual(
      (await t.admin.cluster(OTHER, "staging-cluster", "cluster")).restoredSnapshotId,
      CLUSTER_SNAPSHOT,
    );
  });

  it("gives a sharded restore one component per replica set, each with its download link, which expires", async () => {
    await t.admin.setOptions({ downloadTtlMs: 5000 });
    const created = (
      await t.atlas.post(SHARDED_JOBS, { deliveryType: "download", snapshotId: SHARDED_SNAPSHOT })
    ).body as ClusterJob;
    assert.deepStrictEqual(created.components, [
      { replicaSetName: "prod-sharded-shard-0" },
      { replicaSetName: "prod-sharded-shard-1" },
    ]);
    t.clock.advance(1000);
    const ready = await job(SHARDED_JOBS, created.id);
    assert.strictEqual(ready.deliveryUrl.length, 1);
    assert.deepStrictEqual(
      ready.components!.map((c) => Boolean(c.downloadUrl)),
      [true, true],
    );
    assert.strictEqual((await fetch(ready.components![1]!.downloadUrl!)).status, 200);
    assert.strictEqual(ready.expiresAt, new Date(START + 6000).toISOString());
    t.clock.advance(5000);
    const expired = await job(SHARDED_JOBS, created.id);
    assert.deepStrictEqual([expired.expired, expired.deliveryUrl], [true, []]);
    assert.strictEqual((await fetch(ready.deliveryUrl[0]!)).status, 410);
  });

  it("cancels a replica set's download with 204, and refuses automated, point-in-time and sharded ones with 405", async () => {
    const created = (await t.atlas.post(JOBS, { deliveryType: "download", snapshotId: CLUSTER_SNAPSHOT }))
      .body as ClusterJob;
    const cancel = await t.atlas.request("DELETE", `${JOBS}/${created.id}`);
    assert.deepStrictEqual([cancel.status, cancel.text], [204, ""]);
    assert.strictEqual((await job(JOBS, created.id)).cancelled, true);
    t.clock.advance(1000);
    assert.strictEqual((await job(JOBS, created.id)).finishedAt, undefined, "a cancelled job never finishes");

    const pointInTime = automated({
      deliveryType: "pointInTime",
      snapshotId: undefined,
      pointInTimeUTCSeconds: Math.floor((START - HOUR) / 1000),
    });
    for (const body of [automated(), pointInTime]) {
      const running = (await t.atlas.post(JOBS, body)).body as ClusterJob & { deliveryType: string };
      const kept = await t.atlas.request("DELETE", `${JOBS}/${running.id}`);
      assert.deepStrictEqual(
        [kept.status, code(kept.body)],
        [405, "RESTORE_JOB_NOT_CANCELLABLE"],
        running.deliveryType,
      );
      assert.strictEqual(kept.headers.get("allow"), "GET, HEAD");
      assert.strictEqual((await job(JOBS, running.id)).cancelled, false, "nothing changed");
    }

    const sharded = (
      await t.atlas.post(SHARDED_JOBS, {
        ...automated(),
        snapshotId: SHARDED_SNAPSHOT,
        targetClusterName: "staging-sharded",
      })
    ).body as ClusterJob;
    const refused = await t.atlas.request("DELETE", `${SHARDED_JOBS}/${sharded.id}`);
    assert.deepStrictEqual(
      [refused.status, code(refused.body)],
      [405, "ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED"],
    );
  });

  it("lists and gets snapshots, sharded ones with their members, and takes one that walks queued, inProgress, completed", async () => {
    const list = (await t.atlas.get(`${CLUSTER}/backup/snapshots`)).body as {
      results: Array<{ id: string; status: string }>;
    };
    assert.deepStrictEqual(
      list.results.map((s) => s.status),
      ["inProgress", "completed", "completed"],
    );
    assert.strictEqual(list.results[0]!.id, CLUSTER_IN_PROGRESS_SNAPSHOT);
    const sharded = (await t.atlas.get(`${SHARDED}/backup/snapshots/shardedCluster/${SHARDED_SNAPSHOT}`))
      .body as {
      members: Array<{ replicaSetName: string }>;
    };
    assert.deepStrictEqual(
      sharded.members.map((m) => m.replicaSetName),
      ["prod-sharded-shard-0", "prod-sharded-shard-1"],
    );
    const notSharded = await t.atlas.get(`${CLUSTER}/backup/snapshots/shardedCluster/${CLUSTER_SNAPSHOT}`);
    assert.strictEqual(notSharded.status, 404);

    const taken = (
      await t.atlas.post(`${CLUSTER}/backup/snapshots`, { description: "before", retentionInDays: 2 })
    ).body as { id: string; status: string; snapshotType: string };
    assert.deepStrictEqual([taken.status, taken.snapshotType], ["queued", "onDemand"]);
    const status = async () =>
      ((await t.atlas.get(`${CLUSTER}/backup/snapshots/${taken.id}`)).body as { status: string }).status;
    t.clock.advance(100);
    assert.strictEqual(await status(), "inProgress");
    t.clock.advance(900);
    assert.strictEqual(await status(), "completed");
    const restore = await t.atlas.post(JOBS, automated({ snapshotId: taken.id }));
    assert.strictEqual(restore.status, 200, "a taken snapshot restores once completed");
    const bad = await t.atlas.post(`${CLUSTER}/backup/snapshots`, { retentionInDays: 0 });
    assert.strictEqual(bad.status, 400);
  });

  it("checks the delivery type's rules: targets, snapshot, point-in-time window (7 days) and its exclusive fields", async () => {
    const status = async (body: Record<string, unknown>) => {
      const answer = await t.atlas.post(JOBS, body);
      return answer.status === 200 ? 200 : `${answer.status} ${code(answer.body)}`;
    };
    const pit = (hoursBefore: number, extra: Record<string, unknown> = {}) =>
      automated({
        deliveryType: "pointInTime",
        snapshotId: undefined,
        pointInTimeUTCSeconds: Math.floor((START - hoursBefore * HOUR) / 1000),
        ...extra,
      });
    assert.strictEqual(await status(automated({ targetGroupId: undefined })), "400 MISSING_ATTRIBUTE");
    assert.strictEqual(
      await status({ deliveryType: "download", snapshotId: CLUSTER_SNAPSHOT, targetGroupId: OTHER }),
      "400 INVALID_ATTRIBUTE",
    );
    assert.strictEqual(await status({ deliveryType: "download" }), "404 SNAPSHOT_NOT_FOUND");
    assert.strictEqual(
      await status(automated({ snapshotId: CLUSTER_IN_PROGRESS_SNAPSHOT })),
      "400 SNAPSHOT_NOT_COMPLETED",
    );
    assert.strictEqual(await status(pit(12)), 200);
    assert.strictEqual(await status(pit(7 * 24 + 1)), "400 INVALID_RESTORE_TIME");
    assert.strictEqual(
      await status(pit(12, { oplogTs: Math.floor(START / 1000) - 3600, oplogInc: 1 })),
      "400 INVALID_ATTRIBUTE",
    );
    assert.strictEqual(
      await status(
        automated({
          deliveryType: "pointInTime",
          snapshotId: undefined,
          oplogTs: Math.floor(START / 1000) - 3600,
          oplogInc: 1,
        }),
      ),
      200,
    );
  });

  it("lets the admin API hold, release, complete and fail jobs", async () => {
    const created = (await t.atlas.post(JOBS, automated())).body as ClusterJob;
    assert.strictEqual((await t.admin.call("PATCH", `/jobs/${created.id}`, { held: true })).status, 200);
    t.clock.advance(5000);
    assert.strictEqual((await job(JOBS, created.id)).finishedAt, undefined, "a held job stands still");
    await t.admin.call("PATCH", `/jobs/${created.id}`, { held: false });
    t.clock.advance(999);
    assert.strictEqual((await job(JOBS, created.id)).finishedAt, undefined, "it goes on from where it stood");
    t.clock.advance(1);
    assert.strictEqual((await job(JOBS, created.id)).finishedAt, new Date(START + 6000).toISOString());

    const second = (await t.atlas.post(JOBS, automated())).body as ClusterJob;
    const completed = await t.admin.call<{ phase: string }>("PATCH", `/jobs/${second.id}`, {
      completed: true,
    });
    assert.strictEqual(completed.body.phase, "COMPLETED");
    const third = (await t.atlas.post(JOBS, automated())).body as ClusterJob;
    await t.admin.call("PATCH", `/jobs/${third.id}`, { failed: true });
    assert.strictEqual((await job(JOBS, third.id)).failed, true);
    assert.strictEqual((await t.admin.call("PATCH", `/jobs/${third.id}`, { held: "yes" })).status, 400);
  });

  it("holds a POST's answer after the commit until released, and reports its arrival", async () => {
    await t.admin.setOptions({
      faults: [
        { operationId: "createGroupClusterBackupRestoreJob", action: "hold-response-after-commit", count: 1 },
      ],
    });
    const arrived = t.admin.call<{ count: number }>(
      "GET",
      "/arrivals/createGroupClusterBackupRestoreJob?count=1",
    );
    let answered = false;
    const answer = t.atlas.post(JOBS, automated()).then((a) => ((answered = true), a));
    assert.deepStrictEqual((await arrived).body, {
      operationId: "createGroupClusterBackupRestoreJob",
      count: 1,
    });
    const { held } = (
      await t.admin.call<{ held: Array<Record<string, unknown>> }>("GET", "/held?count=1&timeoutMs=5000")
    ).body;
    assert.deepStrictEqual(
      [held[0]!.operationId, held[0]!.committed],
      ["createGroupClusterBackupRestoreJob", true],
    );
    assert.strictEqual((await t.admin.jobs()).length, 1, "committed before the answer");
    assert.strictEqual(answered, false);
    assert.strictEqual((await t.admin.call("POST", `/held/${held[0]!.id as string}/release`)).status, 200);
    assert.strictEqual((await answer).status, 200);
    assert.strictEqual((await t.admin.call("POST", "/held/99/release")).status, 404);
  });

  it("keeps jobs and taken snapshots across a restart from the state file, and rate-limits the new operations", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-dedicated-"));
    try {
      const stateFile = join(dir, "state.json");
      await t.emulator.close();
      t = await startTestEmulator({ stateFile, restoreDurationMs: 1000 });
      const created = (await t.atlas.post(JOBS, automated())).body as ClusterJob;
      const taken = (await t.atlas.post(`${CLUSTER}/backup/snapshots`, {})).body as { id: string };
      await t.emulator.close();
      const restarted = await startEmulator(
        { stateFile, restoreDurationMs: 1000, rateLimit: { capacity: 2, refillPerSecond: 1 } },
        t.clock,
      );
      t = {
        ...t,
        emulator: restarted,
        atlas: new AtlasTestClient(restarted.url, { kind: "bearer", token: t.token }),
        admin: new TestAdmin(restarted.url),
      };
      assert.strictEqual((await job(JOBS, created.id)).id, created.id);
      assert.strictEqual((await t.atlas.get(`${CLUSTER}/backup/snapshots/${taken.id}`)).status, 200);
      const limited = await t.atlas.get(CLUSTER);
      assert.deepStrictEqual([limited.status, code(limited.body)], [429, "RATE_LIMITED"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
