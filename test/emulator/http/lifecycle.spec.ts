import assert from "node:assert";
import { gunzipSync } from "node:zlib";

import {
  automatedRestore,
  beforeStart,
  FAILING_SNAPSHOT,
  FLEX_FAILING_SNAPSHOT,
  FLEX_SNAPSHOT,
  G,
  group,
  HOUR,
  OTHER,
  SNAPSHOT,
  START,
  startTestEmulator,
  type TestEmulator,
} from "../helpers";

type ServerlessJob = {
  id: string;
  failed: boolean;
  cancelled: boolean;
  expired: boolean;
  finishedAt?: string;
  deliveryUrl: string[];
  expiresAt?: string;
  snapshotId: string;
  timestamp: string;
};
type FlexJob = {
  id: string;
  status: string;
  deliveryType: string;
  restoreScheduledDate: string;
  restoreFinishedDate?: string;
  expirationDate?: string;
  snapshotUrl?: string;
};

const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");
const FLEX_JOBS = group(G, "/flexClusters/prod-orders/backup/restoreJobs");

describe("emulator restore lifecycle over HTTP (manual clock)", () => {
  let t: TestEmulator;
  beforeEach(
    async () =>
      (t = await startTestEmulator({
        restoreDurationMs: {
          automated: 1000,
          download: 2000,
          pointInTime: 3000,
          flexRestore: 1000,
          flexDownload: 500,
        },
        downloadTtlMs: 10_000,
      })),
  );
  afterEach(() => t.emulator.close());

  const job = async (id: string) => (await t.atlas.get(`${JOBS}/${id}`)).body as ServerlessJob;
  const flexJob = async (id: string) => (await t.atlas.get(`${FLEX_JOBS}/${id}`)).body as FlexJob;
  const state = async (path: string) =>
    ((await t.atlas.get(group(G, path))).body as { stateName: string }).stateName;

  it("runs an automated restore: no finishedAt, target UPDATING, then finishedAt and the target holds the snapshot", async () => {
    const created = (await t.atlas.post(JOBS, automatedRestore())).body as ServerlessJob;
    assert.deepStrictEqual(
      [created.failed, created.cancelled, created.expired, created.finishedAt],
      [false, false, false, undefined],
    );
    assert.deepStrictEqual(created.deliveryUrl, []);
    assert.strictEqual(created.timestamp, beforeStart(24));
    assert.strictEqual(await state("/serverless/staging-orders"), "UPDATING");
    assert.strictEqual(await state("/serverless/prod-orders"), "IDLE", "the source is not touched");
    assert.strictEqual((await t.admin.cluster(G, "staging-orders")).restoredSnapshotId, null);

    t.clock.advance(999);
    assert.strictEqual((await job(created.id)).finishedAt, undefined);
    t.clock.advance(1);
    const done = await job(created.id);
    assert.strictEqual(done.finishedAt, new Date(t.clock.now()).toISOString());
    assert.strictEqual(done.failed, false);
    assert.strictEqual(await state("/serverless/staging-orders"), "IDLE");
    const target = await t.admin.cluster(G, "staging-orders", "serverless");
    assert.deepStrictEqual(
      [target.kind, target.stateName, target.restoredSnapshotId, target.restoredFromJobId, target.restoredAt],
      ["serverless", "IDLE", SNAPSHOT, created.id, done.finishedAt],
    );
    const listed = (await t.atlas.get(JOBS)).body as { results: ServerlessJob[]; totalCount: number };
    assert.deepStrictEqual(
      listed.results.map((j) => j.id),
      [created.id],
    );
  });

  it("restores across projects", async () => {
    const created = (await t.atlas.post(JOBS, automatedRestore({ targetGroupId: OTHER })))
      .body as ServerlessJob;
    t.clock.advance(1000);
    assert.strictEqual((await t.admin.cluster(OTHER, "staging-orders")).restoredFromJobId, created.id);
    assert.strictEqual((await t.admin.cluster(G, "staging-orders")).restoredFromJobId, null);
  });

  it("fails a restore of a snapshot marked failRestores: failed and finishedAt, target untouched", async () => {
    const created = (await t.atlas.post(JOBS, automatedRestore({ snapshotId: FAILING_SNAPSHOT })))
      .body as ServerlessJob;
    t.clock.advance(1000);
    const failed = await job(created.id);
    assert.deepStrictEqual([failed.failed, Boolean(failed.finishedAt)], [true, true]);
    assert.strictEqual((await t.admin.cluster(G, "staging-orders")).restoredSnapshotId, null);
  });

  it("gives a download job a working link and expiresAt, then expires it", async () => {
    const created = (
      await t.atlas.post(
        JOBS,
        automatedRestore({ deliveryType: "download", targetClusterName: "prod-orders" }),
      )
    ).body as ServerlessJob;
    t.clock.advance(2000);
    const ready = await job(created.id);
    assert.strictEqual(ready.deliveryUrl.length, 1);
    assert.strictEqual(ready.deliveryUrl[0], `${t.emulator.url}/download/${created.id}/prod-orders.tar.gz`);
    assert.strictEqual(ready.expiresAt, new Date(t.clock.now() + 10_000).toISOString());
    const archive = await fetch(ready.deliveryUrl[0]!);
    assert.strictEqual(archive.status, 200);
    assert.strictEqual(archive.headers.get("content-type"), "application/gzip");
    assert.ok(
      gunzipSync(Buffer.from(await archive.arrayBuffer()))
        .toString("utf8")
        .includes(created.id),
    );
    assert.strictEqual(
      (await t.admin.cluster(G, "prod-orders")).restoredSnapshotId,
      null,
      "a download changes nothing",
    );

    t.clock.advance(10_000);
    const expired = await job(created.id);
    assert.deepStrictEqual([expired.expired, expired.deliveryUrl], [true, []]);
    assert.strictEqual((await fetch(ready.deliveryUrl[0]!)).status, 410);
  });

  it("runs a point-in-time restore from the newest snapshot before that time", async () => {
    const at = (START - 36 * HOUR) / 1000;
    const created = (
      await t.atlas.post(
        JOBS,
        automatedRestore({ deliveryType: "pointInTime", snapshotId: undefined, pointInTimeUTCSeconds: at }),
      )
    ).body as ServerlessJob & { pointInTimeUTCSeconds: number };
    assert.strictEqual(created.snapshotId, "6650a1b2c3d4e5f6a7b8cb02");
    assert.strictEqual(created.pointInTimeUTCSeconds, at);
    t.clock.advance(3000);
    assert.ok((await job(created.id)).finishedAt);
    const target = await t.admin.cluster(G, "staging-orders");
    assert.strictEqual(
      (target.restores as Array<{ pointInTimeUTCSeconds?: number }>)[0]!.pointInTimeUTCSeconds,
      at,
    );
  });

  it("takes a point in time as an oplog position, which needs its increment", async () => {
    const oplogTs = (START - 12 * HOUR) / 1000;
    const body = automatedRestore({ deliveryType: "pointInTime", snapshotId: undefined, oplogTs });
    const missing = await t.atlas.post(JOBS, body);
    assert.deepStrictEqual(
      [missing.status, (missing.body as { errorCode: string }).errorCode],
      [400, "MISSING_ATTRIBUTE"],
    );
    const created = (await t.atlas.post(JOBS, { ...body, oplogInc: 3 })).body as Record<string, unknown>;
    assert.deepStrictEqual([created.oplogTs, created.oplogInc, created.snapshotId], [oplogTs, 3, SNAPSHOT]);
    assert.strictEqual((created.desiredTimestamp as { date: string }).date, beforeStart(12));
  });

  it("moves a flex restore PENDING, QUEUED, RUNNING, COMPLETED with its dates", async () => {
    const created = (
      await t.atlas.post(FLEX_JOBS, { snapshotId: FLEX_SNAPSHOT, targetDeploymentItemName: "staging-orders" })
    ).body as FlexJob;
    assert.strictEqual(created.status, "PENDING");
    assert.strictEqual(created.restoreScheduledDate, new Date(t.clock.now()).toISOString());
    assert.strictEqual(await state("/flexClusters/staging-orders"), "UPDATING");
    const seen = [];
    for (const step of [150, 300, 550]) {
      t.clock.advance(step);
      seen.push((await flexJob(created.id)).status);
    }
    assert.deepStrictEqual(seen, ["QUEUED", "RUNNING", "COMPLETED"]);
    const done = await flexJob(created.id);
    assert.ok(done.restoreFinishedDate);
    assert.strictEqual(done.snapshotUrl, undefined);
    assert.strictEqual(await state("/flexClusters/staging-orders"), "IDLE");
    assert.strictEqual(
      (await t.admin.cluster(G, "staging-orders", "flex")).restoredSnapshotId,
      FLEX_SNAPSHOT,
    );
  });

  it("fails a flex restore of a failing snapshot", async () => {
    const created = (
      await t.atlas.post(group(G, "/flexClusters/analytics-flex/backup/restoreJobs"), {
        snapshotId: FLEX_FAILING_SNAPSHOT,
        targetDeploymentItemName: "staging-orders",
      })
    ).body as FlexJob;
    t.clock.advance(1000);
    const failed = (
      await t.atlas.get(group(G, `/flexClusters/analytics-flex/backup/restoreJobs/${created.id}`))
    ).body as FlexJob;
    assert.strictEqual(failed.status, "FAILED");
  });

  it("answers a flex download's POST with its snapshotUrl, active for the link TTL from the request", async () => {
    const requestedAt = t.clock.now();
    const created = (
      await t.atlas.post(group(G, "/flexClusters/prod-orders/backup/download"), { snapshotId: FLEX_SNAPSHOT })
    ).body as FlexJob;
    const link = `${t.emulator.url}/download/${created.id}/prod-orders.tar.gz`;
    assert.deepStrictEqual([created.deliveryType, created.status], ["DOWNLOAD", "PENDING"]);
    assert.strictEqual(created.snapshotUrl, link, "clients read the URL from the POST's answer");
    assert.strictEqual(created.expirationDate, new Date(requestedAt + 10_000).toISOString());
    assert.strictEqual((await fetch(link)).status, 200, "and it works at once");
    t.clock.advance(500);
    const done = await flexJob(created.id);
    assert.strictEqual(done.status, "COMPLETED");
    assert.strictEqual(done.snapshotUrl, link);
    assert.strictEqual(done.expirationDate, new Date(requestedAt + 10_000).toISOString());
    t.clock.advance(9_500);
    const expired = await flexJob(created.id);
    assert.deepStrictEqual([expired.snapshotUrl, (await fetch(link)).status], [undefined, 410]);
    const listed = (await t.atlas.get(FLEX_JOBS)).body as { results: FlexJob[] };
    assert.deepStrictEqual(
      listed.results.map((j) => j.id),
      [created.id],
    );
  });

  it("divides restore durations by the time scale", async () => {
    await t.emulator.close();
    t = await startTestEmulator({ restoreDurationMs: 10_000, timeScale: 100 });
    const created = (await t.atlas.post(JOBS, automatedRestore())).body as ServerlessJob;
    t.clock.advance(100);
    assert.ok((await job(created.id)).finishedAt);
  });
});
