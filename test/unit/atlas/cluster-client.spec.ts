import assert from "node:assert";

import { AtlasApiError } from "../../../provider/atlas/errors";
import { fakeAdapterClient } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const BASE = `/api/atlas/v2/groups/${GROUP}/clusters/prod`;
const BACKUP = "application/vnd.atlas.2023-01-01+json";

describe("Atlas client: dedicated clusters", () => {
  it("decodes a real create answer (200, null timestamp parts, fields beyond the spec)", async () => {
    const answer = {
      id: JOB,
      deliveryType: "automated",
      cancelled: false,
      expired: false,
      failed: false,
      deliveryUrl: [],
      desiredTimestamp: { increment: null, time: null, date: null },
      targetDeploymentItemName: "stage",
      links: [{ rel: "self", href: "https://cloud.mongodb.com/api/atlas/v2/x" }],
    };
    const { client, adapter } = fakeAdapterClient([{ status: 200, body: answer }]);
    const body = {
      deliveryType: "automated" as const,
      snapshotId: JOB,
      targetClusterName: "stage",
      targetGroupId: GROUP,
    };
    const job = await client.createClusterRestoreJob(GROUP, "prod", body);
    assert.strictEqual(job.targetDeploymentItemName, "stage");
    const [seen] = adapter.seen;
    assert.strictEqual(seen!.method, "POST");
    assert.strictEqual(seen!.url, `${BASE}/backup/restoreJobs`);
    assert.strictEqual(seen!.headers.accept, BACKUP);
    assert.strictEqual(seen!.headers["content-type"], BACKUP);
    assert.deepStrictEqual(JSON.parse(seen!.body!), body);
  });

  it("never repeats a restore POST after a server error", async () => {
    const { client, adapter } = fakeAdapterClient([{ status: 503 }, { status: 200, body: { id: JOB } }]);
    await assert.rejects(
      client.createClusterRestoreJob(GROUP, "prod", { deliveryType: "download" }),
      (e: unknown) => e instanceof AtlasApiError && e.status === 503,
    );
    assert.strictEqual(adapter.seen.length, 1);
  });

  it("cancels with DELETE (204, no body), and repeats it after a server error", async () => {
    const { client, adapter } = fakeAdapterClient([{ status: 503 }, { status: 204 }]);
    await client.cancelClusterRestoreJob(GROUP, "prod", JOB);
    assert.deepStrictEqual(
      adapter.seen.map((r) => `${r.method} ${r.url} ${r.headers.accept}`),
      [1, 2].map(() => `DELETE ${BASE}/backup/restoreJobs/${JOB} ${BACKUP}`),
    );
  });

  it("reports a 405 refusal with Atlas's error code", async () => {
    const refusal = { error: 405, errorCode: "ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED" };
    const { client } = fakeAdapterClient([{ status: 405, body: refusal }]);
    await assert.rejects(client.cancelClusterRestoreJob(GROUP, "prod", JOB), {
      status: 405,
      errorCode: "ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED",
    });
  });

  it("reads every page of snapshots and of restore jobs", async () => {
    const snapshots = Array.from({ length: 120 }, (_, n) => ({
      id: n.toString(16).padStart(24, "0"),
      status: "completed",
    }));
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { results: snapshots.slice(0, 100), totalCount: 120 } },
      { status: 200, body: { results: snapshots.slice(100), totalCount: 120 } },
      { status: 200, body: { results: [{ id: JOB }], totalCount: 1 } },
    ]);
    assert.strictEqual((await client.listClusterSnapshots(GROUP, "prod")).length, 120);
    assert.strictEqual((await client.listClusterRestoreJobs(GROUP, "prod")).length, 1);
    assert.deepStrictEqual(
      adapter.seen.map((r) => r.url),
      [
        `${BASE}/backup/snapshots?pageNum=1&itemsPerPage=100&includeCount=true`,
        `${BASE}/backup/snapshots?pageNum=2&itemsPerPage=100&includeCount=true`,
        `${BASE}/backup/restoreJobs?pageNum=1&itemsPerPage=100&includeCount=true`,
      ],
    );
  });

  it("takes an on-demand snapshot (200, queued) and reads replica-set and sharded snapshots", async () => {
    const { client, adapter } = fakeAdapterClient([
      {
        status: 200,
        body: { id: JOB, status: "queued", frequencyType: "ondemand", snapshotType: "onDemand" },
      },
      { status: 200, body: { id: JOB, status: "inProgress" } },
      { status: 200, body: { id: JOB, status: "completed", type: "shardedCluster", snapshotIds: [GROUP] } },
    ]);
    const taken = await client.takeClusterSnapshot(GROUP, "prod", { description: "d", retentionInDays: 1 });
    assert.strictEqual(taken.status, "queued");
    assert.strictEqual((await client.getClusterSnapshot(GROUP, "prod", JOB)).status, "inProgress");
    assert.deepStrictEqual((await client.getShardedClusterSnapshot(GROUP, "prod", JOB)).snapshotIds, [GROUP]);
    assert.deepStrictEqual(
      adapter.seen.map((r) => `${r.method} ${r.url}`),
      [
        `POST ${BASE}/backup/snapshots`,
        `GET ${BASE}/backup/snapshots/${JOB}`,
        `GET ${BASE}/backup/snapshots/shardedCluster/${JOB}`,
      ],
    );
    assert.deepStrictEqual(JSON.parse(adapter.seen[0]!.body!), { description: "d", retentionInDays: 1 });
  });

  it("reads a cluster with the 2024-08-05 media type", async () => {
    const { client, adapter } = fakeAdapterClient([
      { status: 200, body: { name: "prod", stateName: "IDLE", clusterType: "SHARDED" } },
    ]);
    const cluster = await client.getCluster(GROUP, "prod");
    assert.strictEqual(cluster.clusterType, "SHARDED");
    assert.strictEqual(adapter.seen[0]!.url, BASE);
    assert.strictEqual(adapter.seen[0]!.headers.accept, "application/vnd.atlas.2024-08-05+json");
  });
});
