import assert from "node:assert";

import {
  CLUSTER_IN_PROGRESS_SNAPSHOT,
  CLUSTER_SNAPSHOT,
  G,
  group,
  OTHER,
  startTestEmulator,
  type TestEmulator,
  V1,
} from "../helpers";

// Issue 13 item 3: collection-level restore jobs (2025-03-12 only), every answer checked against
// openapi-subset-dedicated.json by the test client.

const JOBS = group(G, "/clusters/prod-cluster/collectionRestoreJobs");
const code = (body: unknown) => (body as { errorCode: string }).errorCode;

type Job = {
  id: string;
  state: string;
  restoredDocuments: number;
  totalDocuments: number;
  finishedAt?: string;
  errorMessage?: string;
  indexStatus: { state: string; failedCollectionCount: number };
  databaseSuffix: string;
  collections: unknown[];
};
type CollectionState = {
  sourceNamespace: string;
  targetNamespace: string;
  state: string;
  restoredDocuments: number;
  totalDocuments: number;
  indexStatus: { state: string };
};

const request = (overrides: Record<string, unknown> = {}) => ({
  snapshotId: CLUSTER_SNAPSHOT,
  targetClusterName: "staging-cluster",
  targetGroupId: OTHER,
  writeStrategy: "CREATE_NEW",
  indexStrategy: "ALL",
  collections: [
    { sourceNamespace: "orders.orders", targetNamespace: "orders_copy.orders" },
    { sourceNamespace: "orders.customers" },
  ],
  ...overrides,
});

describe("emulator collection-level restores over HTTP", () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await startTestEmulator({ restoreDurationMs: 1000 })));
  afterEach(() => t.emulator.close());

  const job = async (id: string) => (await t.atlas.get(`${JOBS}/${id}`)).body as Job;
  const states = async (id: string, query = "") =>
    ((await t.atlas.get(`${JOBS}/${id}/collections${query}`)).body as { results: CollectionState[] }).results;

  it("walks INITIALIZING, IN_PROGRESS, FINALIZING, SUCCESSFUL with documents counted on the clock", async () => {
    const created = await t.atlas.post(JOBS, request());
    assert.strictEqual(created.status, 201);
    const body = created.body as Job;
    assert.deepStrictEqual(
      [body.state, body.restoredDocuments, body.totalDocuments, body.databaseSuffix],
      ["INITIALIZING", 0, 125_000, ""],
    );
    assert.deepStrictEqual(await states(body.id), [], "no collections while initializing");
    t.clock.advance(450); // half of the copy (from 100 to 800 ms)
    const copying = await job(body.id);
    assert.deepStrictEqual([copying.state, copying.restoredDocuments], ["IN_PROGRESS", 62_500]);
    const half = await states(body.id);
    assert.deepStrictEqual(
      half.map((s) => [s.sourceNamespace, s.targetNamespace, s.state, s.restoredDocuments, s.totalDocuments]),
      [
        ["orders.orders", "orders_copy.orders", "IN_PROGRESS", 60_000, 120_000],
        ["orders.customers", "orders.customers", "IN_PROGRESS", 2_500, 5_000],
      ],
    );
    t.clock.advance(350); // 800 ms: copied, indexes building
    assert.deepStrictEqual(
      [(await job(body.id)).state, (await job(body.id)).indexStatus.state],
      ["FINALIZING", "IN_PROGRESS"],
    );
    t.clock.advance(200);
    const done = await job(body.id);
    assert.deepStrictEqual(
      [done.state, done.restoredDocuments, done.indexStatus.state],
      ["SUCCESSFUL", 125_000, "SUCCESSFUL"],
    );
    assert.ok(done.finishedAt);
    const one = (await t.atlas.get(`${JOBS}/${body.id}/collections/orders.customers`))
      .body as CollectionState;
    assert.strictEqual(one.state, "SUCCESSFUL");
    const listed = (await t.atlas.get(JOBS)).body as { results: Job[]; totalCount: number };
    assert.deepStrictEqual([listed.results.map((j) => j.id), listed.totalCount], [[body.id], 1]);
  });

  it("answers 409 for a second job on the same cluster while one runs, and takes one after", async () => {
    const first = (await t.atlas.post(JOBS, request())).body as Job;
    const second = await t.atlas.post(JOBS, request());
    assert.deepStrictEqual([second.status, code(second.body)], [409, "COLLECTION_RESTORE_IN_PROGRESS"]);
    t.clock.advance(1000);
    assert.strictEqual((await job(first.id)).state, "SUCCESSFUL");
    assert.strictEqual((await t.atlas.post(JOBS, request())).status, 201);
  });

  it("restores whole databases with suffixes, and reports the seed's forced INDEX_BUILD_FAILED", async () => {
    const created = (
      await t.atlas.post(
        JOBS,
        request({ collections: [], databases: [{ sourceNamespace: "orders" }], databaseSuffix: "_restored" }),
      )
    ).body as Job;
    t.clock.advance(1000);
    const done = await job(created.id);
    assert.deepStrictEqual(
      [done.state, done.indexStatus],
      ["SUCCESSFUL", { state: "FAILED", failedCollectionCount: 1 }],
    );
    const all = await states(created.id);
    assert.deepStrictEqual(
      all.map((s) => [s.targetNamespace, s.state]),
      [
        ["orders_restored.orders", "SUCCESSFUL"],
        ["orders_restored.customers", "SUCCESSFUL"],
        ["orders_restored.audit", "INDEX_BUILD_FAILED"],
      ],
    );
    assert.deepStrictEqual(
      (await states(created.id, "?state=INDEX_BUILD_FAILED")).map((s) => s.sourceNamespace),
      ["orders.audit"],
    );
    assert.strictEqual((await t.atlas.get(`${JOBS}/${created.id}/collections?state=BOGUS`)).status, 400);
  });

  it("fails with errorMessage when a collection is not found, forced or absent", async () => {
    const forced = await t.admin.call("PUT", `/collection-outcomes/${G}/prod-cluster/orders.customers`, {
      outcome: "NOT_FOUND",
    });
    assert.strictEqual(forced.status, 200);
    const created = (await t.atlas.post(JOBS, request())).body as Job;
    t.clock.advance(1000);
    const failed = await job(created.id);
    assert.deepStrictEqual(
      [failed.state, failed.errorMessage],
      ["FAILED", "collection was not found: orders.customers"],
    );
    assert.strictEqual(
      (await states(created.id, "?sourceNamespace=orders.customers"))[0]!.state,
      "NOT_FOUND",
    );
    await t.admin.call("PUT", `/collection-outcomes/${G}/prod-cluster/orders.customers`, { outcome: null });
    const absent = (await t.atlas.post(JOBS, request({ collections: [{ sourceNamespace: "orders.nope" }] })))
      .body as Job;
    t.clock.advance(1000);
    assert.strictEqual((await job(absent.id)).errorMessage, "collection was not found: orders.nope");
    assert.strictEqual(
      (
        await t.admin.call("PUT", `/collection-outcomes/${G}/prod-cluster/orders.customers`, {
          outcome: "LOST",
        })
      ).status,
      400,
    );
  });

  it("ends CANCELED or FAILED with errorMessage through the admin API", async () => {
    const a = (await t.atlas.post(JOBS, request())).body as Job;
    t.clock.advance(300);
    await t.admin.call("PATCH", `/collection-jobs/${a.id}`, { cancelled: true });
    const cancelled = await job(a.id);
    assert.deepStrictEqual([cancelled.state, typeof cancelled.errorMessage], ["CANCELED", "string"]);
    const b = (await t.atlas.post(JOBS, request())).body as Job;
    await t.admin.call("PATCH", `/collection-jobs/${b.id}`, { failed: true });
    assert.strictEqual((await job(b.id)).state, "FAILED");
    assert.strictEqual((await t.admin.call("PATCH", `/collection-jobs/${b.id}`, { done: true })).status, 400);
  });

  it("takes only version 2025-03-12 and checks the request", async () => {
    const old = await t.atlas.post(JOBS, request(), { accept: V1 });
    assert.deepStrictEqual([old.status, code(old.body)], [406, "INVALID_VERSION_DATE"]);
    const status = async (body: Record<string, unknown>) => {
      const answer = await t.atlas.post(JOBS, body);
      return `${answer.status} ${code(answer.body)}`;
    };
    assert.strictEqual(await status(request({ writeStrategy: undefined })), "400 MISSING_ATTRIBUTE");
    assert.strictEqual(await status(request({ indexStrategy: "SOME" })), "400 INVALID_ENUM_VALUE");
    assert.strictEqual(await status(request({ collections: [], databases: [] })), "400 MISSING_ATTRIBUTE");
    assert.strictEqual(
      await status(
        request({ collections: Array.from({ length: 101 }, (_, i) => ({ sourceNamespace: `a.c${i}` })) }),
      ),
      "400 INVALID_ATTRIBUTE",
    );
    assert.strictEqual(
      await status(request({ snapshotId: CLUSTER_IN_PROGRESS_SNAPSHOT })),
      "400 SNAPSHOT_NOT_COMPLETED",
    );
    assert.strictEqual(await status(request({ targetClusterName: "nope" })), "404 CLUSTER_NOT_FOUND");
    const unknown = await t.atlas.get(`${JOBS}/0123456789abcdef01234567`);
    assert.strictEqual(unknown.status, 404);
  });
});
