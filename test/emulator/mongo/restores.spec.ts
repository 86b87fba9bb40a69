import assert from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BSON, EJSON } from "bson";
import { type Db, type Document, MongoClient, type Timestamp } from "mongodb";

import {
  automatedRestore,
  CLUSTER_SNAPSHOT,
  FLEX_SNAPSHOT,
  G,
  group,
  OTHER,
  seed,
  startTestEmulator,
  type TestEmulator,
} from "../helpers";

// Restores move documents: when a job completes on the emulator's clock, its target holds the
// snapshot's data (or the data as of a point in time), and a download link serves it as a dump.

const users = seed.databaseUsers!;
const password = (groupId: string) => users.find((u) => u.groupId === groupId)!;

describe("emulator restores move documents", () => {
  let t: TestEmulator;
  const clients: MongoClient[] = [];

  /** A database of a cluster, reached with the connection string its GET answers (or the admin view's for serverless). */
  const dbOf = async (groupId: string, path: string, db: string): Promise<Db> => {
    const answer = await t.atlas.get(group(groupId, path));
    const strings = (answer.body as { connectionStrings: { standard: string } }).connectionStrings;
    const user = password(groupId);
    const client = new MongoClient(strings.standard, {
      auth: { username: user.username, password: user.password },
    });
    clients.push(client);
    return client.db(db);
  };
  const names = async (db: Db) =>
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const create = async (path: string, body: Record<string, unknown>) => {
    const answer = await t.atlas.post(path, body);
    assert.ok(answer.status === 200 || answer.status === 201, JSON.stringify(answer.body));
    return answer.body as Document;
  };

  beforeEach(
    async () => (t = await startTestEmulator({ restoreDurationMs: 1000, snapshotDurationMs: 1000 })),
  );
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.emulator.close();
  });

  it("an automated restore replaces the target's data when its job completes, not before", async () => {
    const staging = await dbOf(G, "/flexClusters/staging-orders", "orders");
    await staging.collection("orders").insertOne({ _id: "staging-only" as never });
    assert.strictEqual(await staging.collection("orders").countDocuments(), 11);
    await create(group(G, "/serverless/prod-orders/backup/restoreJobs"), automatedRestore());
    t.clock.advance(999);
    assert.strictEqual(await staging.collection("orders").countDocuments(), 11, "the job still runs");
    t.clock.advance(1);
    assert.strictEqual(await staging.collection("orders").countDocuments(), 2000);
    assert.strictEqual(await staging.collection("orders").findOne({ _id: "staging-only" as never }), null);
    assert.deepStrictEqual(
      await names(staging.client.db("scratch")),
      [],
      "the target's own databases are gone",
    );
    assert.deepStrictEqual(await names(staging), ["customers", "orders"]);
    assert.strictEqual(await staging.client.db("inventory").collection("items").countDocuments(), 300);
    // The target's writes after the restore are its own again.
    await staging.collection("orders").deleteMany({ n: { $gt: 10 } });
    assert.strictEqual(await staging.collection("orders").countDocuments(), 10);
  });

  it("a flex restore lands too: the target holds the flex snapshot's databases", async () => {
    await create(group(G, "/flexClusters/analytics-flex/backup/restoreJobs"), {
      snapshotId: "6650a1b2c3d4e5f6a7b8cd10",
      targetDeploymentItemName: "staging-orders",
    });
    t.clock.advance(1000);
    const staging = await dbOf(G, "/flexClusters/staging-orders", "analytics");
    assert.deepStrictEqual(await names(staging.client.db("orders")), []);
    assert.strictEqual(await staging.collection("events").countDocuments(), 1500);
  });

  it("a snapshot holds the data of its time: writes after it are not restored", async () => {
    const prod = await dbOf(G, "/clusters/prod-cluster", "orders");
    await prod.collection("notes").insertOne({ _id: "before" as never });
    const taken = await create(group(G, "/clusters/prod-cluster/backup/snapshots"), {});
    t.clock.advance(500);
    await prod.collection("notes").insertOne({ _id: "after" as never });
    t.clock.advance(500);
    await create(group(G, "/clusters/prod-cluster/backup/restoreJobs"), {
      deliveryType: "automated",
      snapshotId: taken.id,
      targetClusterName: "staging-cluster",
      targetGroupId: OTHER,
    });
    t.clock.advance(1000);
    const staging = await dbOf(OTHER, "/clusters/staging-cluster", "orders");
    assert.deepStrictEqual(await staging.collection("notes").find().toArray(), [{ _id: "before" }]);
    assert.strictEqual(await staging.collection("orders").estimatedDocumentCount(), 120_000);
  });

  it("a point-in-time restore gives the data as of that second, or of that oplog timestamp", async () => {
    const prod = await dbOf(G, "/clusters/prod-cluster", "orders");
    const session = prod.client.startSession();
    const events = prod.collection("events");
    await events.insertOne({ _id: 1 as never }, { session });
    const first = session.operationTime as Timestamp;
    await events.insertOne({ _id: 2 as never }, { session });
    t.clock.advance(2000);
    await events.insertOne({ _id: 3 as never }, { session });
    await session.endSession();
    t.clock.advance(1000);
    const staging = await dbOf(OTHER, "/clusters/staging-cluster", "orders");
    const restoreAt = async (moment: Record<string, number>) => {
      await create(group(G, "/clusters/prod-cluster/backup/restoreJobs"), {
        deliveryType: "pointInTime",
        targetClusterName: "staging-cluster",
        targetGroupId: OTHER,
        ...moment,
      });
      t.clock.advance(1000);
      return (await staging.collection("events").find().toArray()).map((d) => d._id);
    };
    const second = Math.floor(t.clock.now() / 1000) - 3; // the second of the first two writes
    assert.strictEqual(first.high, second);
    assert.deepStrictEqual(await restoreAt({ pointInTimeUTCSeconds: second }), [1, 2]);
    assert.deepStrictEqual(await restoreAt({ oplogTs: first.high, oplogInc: first.low }), [1]);
    assert.deepStrictEqual(await restoreAt({ pointInTimeUTCSeconds: second + 2 }), [1, 2, 3]);
    assert.deepStrictEqual(await restoreAt({ pointInTimeUTCSeconds: second - 1 }), []);
  });

  it("a collection-level restore copies chosen collections with their renames and write strategy", async () => {
    const staging = await dbOf(OTHER, "/clusters/staging-cluster", "orders");
    await staging.collection("orders").insertOne({ _id: "staging-only" as never });
    const jobs = group(G, "/clusters/prod-cluster/collectionRestoreJobs");
    const job = await create(jobs, {
      snapshotId: CLUSTER_SNAPSHOT,
      targetClusterName: "staging-cluster",
      targetGroupId: OTHER,
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
      collections: [
        { sourceNamespace: "orders.customers", targetNamespace: "crm.clients" },
        { sourceNamespace: "orders.orders" },
      ],
    });
    t.clock.advance(1000);
    const states = (await t.atlas.get(`${jobs}/${job.id}/collections`)).body as { results: Document[] };
    assert.deepStrictEqual(
      states.results.map((s) => [s.sourceNamespace, s.targetNamespace, s.effectiveTargetNamespace, s.state]),
      [
        ["orders.customers", "crm.clients", "crm.clients", "SUCCESSFUL"],
        ["orders.orders", "orders.orders", "orders.orders_restored", "SUCCESSFUL"],
      ],
    );
    assert.strictEqual(await staging.client.db("crm").collection("clients").countDocuments(), 5000);
    assert.strictEqual(
      await staging.collection("orders").countDocuments(),
      11,
      "CREATE_NEW leaves the existing one",
    );
    const restored = staging.collection("orders_restored");
    assert.strictEqual(await restored.estimatedDocumentCount(), 120_000);
    assert.deepStrictEqual(
      (await restored.listIndexes().toArray()).map((i) => i.name),
      ["_id_", "label_1"],
    );

    await create(jobs, {
      snapshotId: CLUSTER_SNAPSHOT,
      targetClusterName: "staging-cluster",
      targetGroupId: OTHER,
      writeStrategy: "OVERWRITE_EXISTING",
      indexStrategy: "NONE",
      databases: [{ sourceNamespace: "inventory", targetNamespace: "orders" }],
      collections: [{ sourceNamespace: "orders.orders" }],
    });
    t.clock.advance(1000);
    assert.strictEqual(await staging.collection("orders").estimatedDocumentCount(), 120_000);
    assert.strictEqual(await staging.collection("orders").findOne({ _id: "staging-only" as never }), null);
    assert.deepStrictEqual(
      (await staging.collection("orders").listIndexes().toArray()).map((i) => i.name),
      ["_id_"],
    );
    assert.strictEqual(
      await staging.collection("items").countDocuments(),
      800,
      "inventory.items renamed into orders",
    );
  });

  it("a download link serves the snapshot as a mongodump tar.gz that tar and BSON read back", async () => {
    const prod = await dbOf(G, "/flexClusters/prod-orders", "orders");
    await prod.collection("customers").insertOne({ name: "after the snapshot" });
    const job = await create(group(G, "/flexClusters/prod-orders/backup/download"), {
      snapshotId: FLEX_SNAPSHOT,
    });
    const response = await fetch(job.snapshotUrl as string);
    assert.strictEqual(response.status, 200);
    const dir = mkdtempSync(join(tmpdir(), "emulator-dump-"));
    try {
      writeFileSync(join(dir, "backup.tar.gz"), Buffer.from(await response.arrayBuffer()));
      execFileSync("tar", ["-xzf", "backup.tar.gz"], { cwd: dir });
      const dump = join(dir, "prod-orders", "dump");
      assert.deepStrictEqual(readdirSync(dump).sort(), ["inventory", "orders"]);
      assert.deepStrictEqual(readdirSync(join(dump, "orders")).sort(), [
        "customers.bson",
        "customers.metadata.json",
        "orders.bson",
        "orders.metadata.json",
      ]);
      const read = (file: string): Document[] => {
        const bytes = readFileSync(join(dump, file));
        const docs: Document[] = [];
        for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at))
          docs.push(BSON.deserialize(bytes.subarray(at, at + bytes.readInt32LE(at))));
        return docs;
      };
      const customers = read("orders/customers.bson");
      assert.deepStrictEqual(
        customers.map((c) => c.name),
        ["Ada Lovelace", "Grace Hopper", "Alan Turing"],
        "the write after the snapshot is not in it",
      );
      assert.deepStrictEqual(
        customers,
        await prod
          .collection("customers")
          .find({ since: { $exists: true } })
          .toArray(),
      );
      assert.strictEqual(read("orders/orders.bson").length, 2000);
      assert.strictEqual(read("inventory/items.bson").length, 300);
      const metadata = EJSON.parse(readFileSync(join(dump, "orders", "customers.metadata.json"), "utf8"));
      assert.deepStrictEqual(
        [metadata.collectionName, metadata.type, metadata.indexes.map((i: Document) => i.name)],
        ["customers", "collection", ["_id_", "email_1"]],
      );
      assert.match(metadata.uuid, /^[0-9a-f]{32}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts again from the seed on an admin reset", async () => {
    const staging = await dbOf(G, "/flexClusters/staging-orders", "orders");
    await staging.collection("orders").deleteMany({});
    assert.strictEqual(await staging.collection("orders").countDocuments(), 0);
    await t.admin.call("POST", "/reset");
    assert.strictEqual(await staging.collection("orders").countDocuments(), 10);
  });
});
