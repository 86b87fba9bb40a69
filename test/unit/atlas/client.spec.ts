import assert from "node:assert";

import { AtlasDecodeError } from "../../../provider/atlas/errors";
import { fakeAdapterClient, jobFixture } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const BASE = `/api/atlas/v2/groups/${GROUP}/serverless`;

const snapshot = (n: number) => ({
  id: n.toString(16).padStart(24, "0"),
  status: "completed",
  createdAt: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString(),
});

describe("Atlas client", () => {
  it("creates a serverless restore job with a non-idempotent POST of the given body", async () => {
    const { client, adapter } = fakeAdapterClient([{ status: 200, body: jobFixture() }]);
    const body = { deliveryType: "automated" as const, targetClusterName: "stage", targetGroupId: GROUP };
    const job = await client.createServerlessRestoreJob(GROUP, "prod", body);
    assert.strictEqual(job.id, jobFixture().id);
    assert.strictEqual(adapter.seen[0]!.method, "POST");
    assert.strictEqual(adapter.seen[0]!.url, `${BASE}/prod/backup/restoreJobs`);
    assert.deepStrictEqual(JSON.parse(adapter.seen[0]!.body!), body);
  });

  it("gets one job by id", async () => {
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: jobFixture({ finishedAt: "2026-11-28T12:00:00Z" }) },
    ]);
    const job = await client.getServerlessRestoreJob(GROUP, "prod", "65a1b2c3d4e5f6a7b8c9d0e1");
    assert.strictEqual(job.finishedAt, "2026-11-28T12:00:00Z");
    assert.strictEqual(adapter.seen[0]!.url, `${BASE}/prod/backup/restoreJobs/65a1b2c3d4e5f6a7b8c9d0e1`);
  });

  it("pages through every snapshot", async () => {
    const all = Array.from({ length: 150 }, (_, n) => snapshot(n));
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: all.slice(0, 100), totalCount: 150 } },
      { status: 200, body: { results: all.slice(100), totalCount: 150 } },
    ]);
    assert.deepStrictEqual(await client.listServerlessSnapshots(GROUP, "prod"), all);
    assert.deepStrictEqual(
      adapter.seen.map((r) => r.url),
      [1, 2].map((n) => `${BASE}/prod/backup/snapshots?pageNum=${n}&itemsPerPage=100&includeCount=true`),
    );
  });

  it("stops after a full last page when the total says so", async () => {
    const all = Array.from({ length: 100 }, (_, n) => snapshot(n));
    const { client, adapter } = fakeAdapterClient([{ status: 200, body: { results: all, totalCount: 100 } }]);
    assert.strictEqual((await client.listServerlessSnapshots(GROUP, "prod")).length, 100);
    assert.strictEqual(adapter.seen.length, 1);
  });

  it("keeps paging while pages are full when the answer gives no totalCount", async () => {
    const all = Array.from({ length: 230 }, (_, n) => snapshot(n));
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: all.slice(0, 100) } },
      { status: 200, body: { results: all.slice(100, 200) } },
      { status: 200, body: { results: all.slice(200) } },
    ]);
    assert.deepStrictEqual(await client.listServerlessSnapshots(GROUP, "prod"), all);
    assert.strictEqual(adapter.seen.length, 3);
  });

  it("stops at an empty page when there is no totalCount", async () => {
    const all = Array.from({ length: 100 }, (_, n) => snapshot(n));
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: all } },
      { status: 200, body: { results: [] } },
    ]);
    assert.strictEqual((await client.listServerlessSnapshots(GROUP, "prod")).length, 100);
    assert.strictEqual(adapter.seen.length, 2);
  });

  it("lists restore jobs and reads an instance", async () => {
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: [jobFixture()], totalCount: 1 } },
      { status: 200, body: { name: "stage", stateName: "IDLE", extra: "ignored" } },
    ]);
    assert.strictEqual((await client.listServerlessRestoreJobs(GROUP, "prod")).length, 1);
    assert.deepStrictEqual(await client.getServerlessInstance(GROUP, "stage"), {
      name: "stage",
      stateName: "IDLE",
      extra: "ignored",
    });
    assert.strictEqual(adapter.seen[1]!.url, `${BASE}/stage`);
  });

  it("reads fields Atlas sends as null as absent, in create answers of every kind (issue 22, item 2)", async () => {
    const nulls = {
      finishedAt: null,
      pointInTimeUTCSeconds: null,
      oplogTs: null,
      desiredTimestamp: { date: null },
    };
    const { client } = fakeAdapterClient([
      { status: 200, body: { ...jobFixture(), ...nulls } },
      { status: 200, body: { id: "f1", status: "PENDING", restoreFinishedDate: null, snapshotUrl: null } },
      { status: 200, body: { id: "c1", ...nulls, components: [] } },
    ]);
    const body = { deliveryType: "automated" as const, targetClusterName: "stage", targetGroupId: GROUP };
    const serverless = await client.createServerlessRestoreJob(GROUP, "prod", body);
    assert.strictEqual(serverless.finishedAt, undefined);
    assert.deepStrictEqual(serverless.desiredTimestamp, {});
    const flex = await client.createFlexRestoreJob(GROUP, "prod", {
      snapshotId: "s",
      targetDeploymentItemName: "t",
    });
    assert.strictEqual(flex.snapshotUrl, undefined);
    const cluster = await client.createClusterRestoreJob(GROUP, "prod", { deliveryType: "automated" });
    assert.strictEqual(cluster.finishedAt, undefined);
  });

  it("rejects an answer of the wrong shape, naming the path but not the value", async () => {
    const { client } = fakeAdapterClient([
      { status: 200, body: { id: 42, deliveryUrl: ["https://secret.example/dl"] } },
    ]);
    const error = await client.getServerlessRestoreJob(GROUP, "prod", "x").catch((e: unknown) => e);
    assert.ok(error instanceof AtlasDecodeError);
    assert.deepStrictEqual(error.problems, ["id: expected string"]);
    assert.strictEqual(
      error.message,
      `unexpected data from GET ${BASE}/prod/backup/restoreJobs/x: id: expected string`,
    );
  });
});
