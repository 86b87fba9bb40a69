import assert from "node:assert";

import { planCollectionRestore } from "../../../emulator/data/collection-plan";
import { dataKey, DataPlane, type DataSources } from "../../../emulator/data/plane";
import type { Seed, SeedCluster } from "../../../emulator/seed";
import type { StoredCollectionJob } from "../../../emulator/state/collection-restores";
import type { StoredJob } from "../../../emulator/state/restore-jobs";

const G = "6650a1b2c3d4e5f6a7b8c9d0";
const cluster = (id: string, name: string, databases: SeedCluster["databases"] = []): SeedCluster => ({
  id,
  groupId: G,
  name,
  snapshots: [],
  databases,
});

/** Three dedicated clusters: a source with documents and TTL/unique indexes, and two empty targets. */
function sources(jobs: StoredJob[] = [], collectionJobs: StoredCollectionJob[] = []): DataSources {
  const seed: Seed = {
    projects: [{ id: G, name: "p" }],
    serverlessInstances: [],
    flexClusters: [],
    clusters: [
      cluster("6650a1b2c3d4e5f6a7b8cf00", "a", [
        {
          name: "app",
          collections: [
            { name: "users", documents: 3, indexes: [{ key: { label: 1 }, unique: true }] },
            { name: "sessions", documents: 2 },
          ],
        },
      ]),
      cluster("6650a1b2c3d4e5f6a7b8cf01", "b"),
      cluster("6650a1b2c3d4e5f6a7b8cf02", "c"),
    ],
    apiKeys: [],
    serviceAccounts: [],
  };
  return { seed, jobs: () => jobs, collectionJobs: () => collectionJobs, snapshotTakenAt: () => 0 };
}

const job = (
  id: string,
  from: string,
  into: string,
  createdAt: number,
  extra: Partial<StoredJob> = {},
): StoredJob => ({
  id,
  api: "cluster",
  groupId: G,
  clusterName: from,
  snapshotId: "6650a1b2c3d4e5f6a7b8ce01",
  snapshotCreatedAt: new Date(createdAt - 1).toISOString(),
  deliveryType: "automated",
  targetGroupId: G,
  targetClusterName: into,
  createdAt,
  durationMs: 100,
  downloadTtlMs: 1000,
  fails: false,
  ...extra,
});

const key = (name: string) => dataKey("cluster", G, name);
const count = (plane: DataPlane, name: string, now: number, db = "app", coll = "users") =>
  plane.history(key(name), now).current.get(db)?.get(coll)?.size ?? 0;

describe("emulator data plane", () => {
  it("lands a restore when its job completes, and only completed restores into clusters", () => {
    const jobs = [
      job("000000000000000000000001", "a", "b", 1_000),
      job("000000000000000000000002", "a", "c", 1_000, { fails: true }),
      job("000000000000000000000003", "a", "c", 1_000, { deliveryType: "download" }),
      job("000000000000000000000004", "a", "c", 1_000, { cancelledAt: 1_050 }),
    ];
    const plane = new DataPlane(sources(jobs));
    assert.strictEqual(count(plane, "b", 1_099), 0);
    assert.strictEqual(count(plane, "b", 1_100), 3);
    assert.strictEqual(count(plane, "c", 5_000), 0, "failed, download and cancelled jobs move nothing");
  });

  it("reads a restore's source as it was, after the restores that landed in it before", () => {
    // a → b lands at 1100; b → c at 2100 reads b at its snapshot time 1999: a's data.
    const jobs = [
      job("000000000000000000000002", "b", "c", 2_000),
      job("000000000000000000000001", "a", "b", 1_000),
    ];
    const plane = new DataPlane(sources(jobs));
    assert.strictEqual(count(plane, "c", 3_000), 3);
    assert.strictEqual(count(plane, "b", 3_000), 3);
    // A write to b after its snapshot time is not what c got.
    plane.history(key("b"), 3_000).write(3_000, [{ op: "drop", db: "app", coll: "users" }]);
    assert.strictEqual(count(plane, "b", 3_000), 0);
    assert.strictEqual(count(plane, "c", 3_000), 3);
    plane.reset();
    assert.strictEqual(count(plane, "b", 0), 0);
  });

  it("copies collections with their target names and the index strategy", () => {
    const collectionJob = (
      id: string,
      indexStrategy: string,
      namespaces: StoredCollectionJob["namespaces"],
    ) =>
      ({
        id,
        groupId: G,
        clusterName: "a",
        snapshotId: "6650a1b2c3d4e5f6a7b8ce01",
        targetGroupId: G,
        targetClusterName: "b",
        writeStrategy: "OVERWRITE_EXISTING",
        indexStrategy,
        databases: [],
        collections: [],
        databaseSuffix: "",
        collectionSuffix: "",
        namespaces,
        createdAt: 1_000,
        durationMs: 100,
      }) satisfies StoredCollectionJob;
    const plane = new DataPlane(
      sources(
        [],
        [
          collectionJob("000000000000000000000001", "ALL", [
            { sourceNamespace: "app.users", targetNamespace: "x.all", documents: 3 },
            {
              sourceNamespace: "app.users",
              targetNamespace: "x.failed",
              documents: 3,
              outcome: "INDEX_BUILD_FAILED",
            },
            {
              sourceNamespace: "app.sessions",
              targetNamespace: "x.sessions",
              effectiveTargetNamespace: "x.sessions_restored",
              documents: 2,
            },
          ]),
        ],
      ),
    );
    const x = plane.history(key("b"), 1_100).current.get("x")!;
    assert.deepStrictEqual([...x.keys()], ["all", "failed", "sessions_restored"]);
    assert.deepStrictEqual(
      x.get("all")!.indexes.map((i) => i.name),
      ["_id_", "label_1"],
    );
    assert.deepStrictEqual(
      x.get("failed")!.indexes.map((i) => i.name),
      ["_id_"],
    );
  });

  it("plans a CREATE_NEW restore: a target that exists gets a new name, once per job", () => {
    const plane = new DataPlane(sources());
    plane.history(key("b"), 0).write(0, [{ op: "create", db: "app", coll: "users", options: {} }]);
    const plan = planCollectionRestore(
      plane,
      {
        groupId: G,
        clusterName: "a",
        snapshotId: "6650a1b2c3d4e5f6a7b8ce01",
        targetGroupId: G,
        targetClusterName: "b",
        writeStrategy: "CREATE_NEW",
      },
      10,
    );
    assert.deepStrictEqual(plan.collections("app"), ["users", "sessions"]);
    assert.strictEqual(plan.collections("nope"), undefined);
    assert.deepStrictEqual([plan.documents("app.users"), plan.documents("app.nope")], [3, undefined]);
    assert.strictEqual(plan.land("app.users"), "app.users_restored");
    assert.strictEqual(plan.land("app.users"), "app.users_restored_2");
    assert.strictEqual(plan.land("app.new"), "app.new");
  });
});
