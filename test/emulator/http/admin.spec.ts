import assert from "node:assert";

import {
  automatedRestore,
  FLEX_SNAPSHOT,
  G,
  group,
  SNAPSHOT,
  startTestEmulator,
  type TestEmulator,
} from "../helpers";

const JOBS = group(G, "/serverless/prod-orders/backup/restoreJobs");

describe("emulator admin endpoints", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator()));
  afterEach(() => t.emulator.close());

  const restore = async () => ((await t.atlas.post(JOBS, automatedRestore())).body as { id: string }).id;
  const job = async (id: string) => (await t.atlas.get(`${JOBS}/${id}`)).body as Record<string, unknown>;

  it("GET /options gives every run-time option; PATCH changes some and answers the result", async () => {
    const { body: options } = await t.admin.call<Record<string, unknown>>("GET", "/options");
    assert.deepStrictEqual(Object.keys(options).sort(), [
      "downloadTtlMs",
      "faultSeed",
      "faults",
      "nonceTtlMs",
      "rateLimit",
      "restoreDurationMs",
      "snapshotDurationMs",
      "sunset",
      "timeScale",
      "tokenTtlSeconds",
    ]);
    const changed = await t.admin.setOptions({ restoreDurationMs: { automated: 8000 }, sunset: "gone" });
    assert.strictEqual((changed.restoreDurationMs as Record<string, number>).automated, 8000);
    assert.strictEqual((changed.restoreDurationMs as Record<string, number>).download, 1000);
    assert.strictEqual(changed.sunset, "gone");
  });

  it("PATCH /options refuses bad changes with 400 and every problem, changing nothing", async () => {
    const bad = await t.admin.call<{ errorCode: string; parameters: string[] }>("PATCH", "/options", {
      sunset: "later",
      timeScale: -1,
    });
    assert.strictEqual(bad.status, 400);
    assert.strictEqual(bad.body.errorCode, "INVALID_ADMIN_REQUEST");
    assert.deepStrictEqual(bad.body.parameters, [
      "timeScale must be a positive number",
      "sunset must be auto, off, gone or migrated",
    ]);
    assert.strictEqual((await t.admin.call<{ sunset: string }>("GET", "/options")).body.sunset, "auto");
    assert.strictEqual((await t.admin.call("PATCH", "/options", "{oops")).status, 400);
  });

  it("counts authenticated Atlas requests by operation and method, OAuth by its own name, admin not at all", async () => {
    await restore();
    await t.atlas.get(group(G, "/serverless/prod-orders"));
    await t.digest.get(group(G, "/serverless/prod-orders"));
    await t.admin.jobs();
    assert.deepStrictEqual(await t.admin.counters(), {
      byOperation: { oauthToken: 1, createGroupServerlessBackupRestoreJob: 1, getGroupServerlessInstance: 2 },
      byMethod: { POST: 1, GET: 2 },
    });
  });

  it("logs every request: method, path, status, operationId, time", async () => {
    await t.digest.get(group(G, "/serverless/prod-orders"));
    const log = await t.admin.requests();
    assert.deepStrictEqual(
      log.map((r) => [r.method, r.path, r.status, r.operationId]),
      [
        ["POST", "/api/oauth/token", 200, "oauthToken"],
        ["GET", group(G, "/serverless/prod-orders"), 401, "getGroupServerlessInstance"],
        ["GET", group(G, "/serverless/prod-orders"), 200, "getGroupServerlessInstance"],
      ],
    );
    assert.ok(log.every((r) => r.time === new Date(t.clock.now()).toISOString()));
  });

  it("lists every job with its phase", async () => {
    const id = await restore();
    await t.atlas.post(group(G, "/flexClusters/prod-orders/backup/download"), { snapshotId: FLEX_SNAPSHOT });
    const jobs = await t.admin.jobs();
    assert.deepStrictEqual(
      jobs.map((j) => [j.api, j.clusterName, j.deliveryType, j.phase]),
      [
        ["serverless", "prod-orders", "automated", "PENDING"],
        ["flex", "prod-orders", "DOWNLOAD", "PENDING"],
      ],
    );
    assert.strictEqual(jobs[0]!.id, id);
  });

  it("PATCH /jobs/{id} expires, cancels or fails a job", async () => {
    const [a, b, c] = [await restore(), await restore(), await restore()];
    await t.admin.call("PATCH", `/jobs/${a}`, { expired: true });
    await t.admin.call("PATCH", `/jobs/${b}`, { cancelled: true });
    await t.admin.call("PATCH", `/jobs/${c}`, { failed: true });
    const [ja, jb, jc] = [await job(a), await job(b), await job(c)];
    assert.deepStrictEqual(
      [ja.expired, jb.cancelled, jb.finishedAt, jc.failed, Boolean(jc.finishedAt)],
      [true, true, undefined, true, true],
    );
    assert.strictEqual((await t.admin.call("PATCH", `/jobs/${a}`, { expired: false })).status, 400);
    assert.strictEqual((await t.admin.call("PATCH", `/jobs/${a}`, { colour: true })).status, 400);
    assert.strictEqual(
      (await t.admin.call("PATCH", "/jobs/aaaaaaaaaaaaaaaaaaaaaaaa", { expired: true })).status,
      404,
    );
  });

  it("GET /clusters/{groupId}/{name} tells both kinds apart and 404s an unknown one", async () => {
    const serverless = await t.admin.cluster(G, "prod-orders");
    assert.strictEqual(serverless.kind, "serverless");
    const flex = await t.admin.cluster(G, "analytics-flex");
    assert.deepStrictEqual(
      [
        flex.name,
        flex.groupId,
        flex.kind,
        flex.stateName,
        flex.restoredSnapshotId,
        flex.restoredFromJobId,
        flex.restoredAt,
      ],
      ["analytics-flex", G, "flex", "IDLE", null, null, null],
    );
    assert.strictEqual((await t.admin.call("GET", `/clusters/${G}/nope`)).status, 404);
  });

  it("marks a snapshot's restores as failing, and back", async () => {
    await t.admin.call("POST", `/snapshots/${SNAPSHOT}/fail-restores`);
    const failing = await restore();
    await t.admin.call("POST", `/snapshots/${SNAPSHOT}/fail-restores`, { fail: false });
    const fine = await restore();
    t.clock.advance(1000);
    assert.deepStrictEqual([(await job(failing)).failed, (await job(fine)).failed], [true, false]);
  });

  it("moves the emulator's time forward", async () => {
    const id = await restore();
    const { body } = await t.admin.call<{ now: string }>("POST", "/clock", { advanceMs: 1000 });
    assert.strictEqual(body.now, new Date(t.clock.now() + 1000).toISOString());
    assert.ok((await job(id)).finishedAt);
    assert.strictEqual((await t.admin.call("POST", "/clock", { advanceMs: -5 })).status, 400);
  });

  it("POST /reset goes back to the seed and the start options: no jobs, log or counters", async () => {
    await restore();
    await t.admin.setOptions({ sunset: "gone" });
    await t.admin.call("POST", "/reset");
    assert.deepStrictEqual(await t.admin.jobs(), []);
    assert.deepStrictEqual(await t.admin.requests(), []);
    assert.deepStrictEqual(await t.admin.counters(), { byOperation: {}, byMethod: {} });
    assert.strictEqual((await t.admin.call<{ sunset: string }>("GET", "/options")).body.sunset, "auto");
    assert.strictEqual(
      (await t.atlas.get(group(G, "/serverless/prod-orders"))).status,
      200,
      "tokens survive a reset",
    );
  });

  it("answers 404 for an unknown admin endpoint", async () => {
    assert.strictEqual((await t.admin.call("GET", "/nothing")).status, 404);
  });
});
