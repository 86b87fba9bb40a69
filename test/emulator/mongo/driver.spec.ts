import assert from "node:assert";
import { type AddressInfo, createServer } from "node:net";

import { MongoClient, MongoServerError, ObjectId } from "mongodb";

import { startEmulator } from "../../../emulator";
import { G, group, OTHER, seed, startTestEmulator, type TestEmulator } from "../helpers";

// The official Node driver against the emulator's wire-protocol servers, over loopback: connection
// strings from the cluster GETs, the seed's database users, documents and what the driver sees of them.

const USER = seed.databaseUsers!.find((u) => u.groupId === G)!;
const OTHER_USER = seed.databaseUsers!.find((u) => u.groupId === OTHER)!;

/** The `connectionStrings` a cluster GET answers (checked against the contract by the test client). */
async function connectionStrings(t: TestEmulator, path: string): Promise<Record<string, string>> {
  const answer = await t.atlas.get(path);
  assert.strictEqual(answer.status, 200);
  return (answer.body as { connectionStrings: Record<string, string> }).connectionStrings;
}

describe("emulator wire protocol with the official driver", () => {
  let t: TestEmulator;
  const clients: MongoClient[] = [];
  /** A client with a user's password (the driver's default mechanism: SCRAM-SHA-256). */
  const connect = async (uri: string, user = USER.username, password = USER.password) => {
    const client = new MongoClient(uri, { auth: { username: user, password } });
    clients.push(client);
    await client.connect();
    return client;
  };

  beforeEach(async () => (t = await startTestEmulator()));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.emulator.close();
  });

  it("connects with a dedicated cluster's connectionStrings.standard and reads the seed's documents", async () => {
    const strings = await connectionStrings(t, group(G, "/clusters/prod-cluster"));
    assert.match(
      strings.standard!,
      /^mongodb:\/\/127\.0\.0\.1:\d+\/\?authSource=admin&replicaSet=prod-cluster-shard-0$/,
    );
    assert.match(strings.standardSrv!, /^mongodb\+srv:\/\/prod-cluster\.[0-9a-f]{6}\.emulator\.invalid\//);
    const client = await connect(strings.standard!);
    const hello = await client.db("admin").command({ hello: 1 });
    assert.deepStrictEqual(
      [hello.isWritablePrimary, hello.setName, hello.maxWireVersion],
      [true, "prod-cluster-shard-0", 25],
    );
    const status = await client.db("admin").command({ connectionStatus: 1 });
    assert.deepStrictEqual(status.authInfo.authenticatedUsers, [{ user: USER.username, db: "admin" }]);
    const orders = client.db("orders").collection("orders");
    assert.strictEqual(await orders.estimatedDocumentCount(), 120_000);
    assert.strictEqual(await orders.countDocuments({ n: { $lte: 10 } }), 10);
    assert.deepStrictEqual(await orders.findOne({ _id: 7 as never }), { _id: 7, n: 7, label: "orders-7" });
    const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name).sort();
    assert.deepStrictEqual(names, ["inventory", "orders"]);
    assert.deepStrictEqual(
      (await orders.listIndexes().toArray()).map((i) => [i.name, i.unique ?? false]),
      [
        ["_id_", false],
        ["label_1", true],
      ],
    );
  });

  it("serves a flex cluster with standard, and a serverless instance (SRV only) through its flex twin's documents", async () => {
    const serverless = await connectionStrings(t, group(G, "/serverless/prod-orders"));
    assert.deepStrictEqual(Object.keys(serverless), ["standardSrv"]);
    assert.match(serverless.standardSrv!, /\.emulator\.invalid\//);
    const flex = await connectionStrings(t, group(G, "/flexClusters/prod-orders"));
    const admin = await t.admin.cluster(G, "prod-orders", "serverless");
    assert.strictEqual(
      admin.connectionString,
      flex.standard,
      "one deployment: serverless and its flex cluster",
    );
    const client = await connect(flex.standard!);
    const customers = await client.db("orders").collection("customers").find().sort({ since: 1 }).toArray();
    assert.deepStrictEqual(
      customers.map((c) => [c._id.toHexString(), c.name, c.since.toISOString()]),
      [
        ["6650a1b2c3d4e5f6a7b80001", "Ada Lovelace", "2024-03-01T09:00:00.000Z"],
        ["6650a1b2c3d4e5f6a7b80002", "Grace Hopper", "2024-05-12T14:30:00.000Z"],
        ["6650a1b2c3d4e5f6a7b80003", "Alan Turing", "2025-01-20T08:15:00.000Z"],
      ],
    );
    assert.strictEqual(customers[2]!.address.city, "Manchester");
  });

  it("answers a sharded cluster as a mongos, without replicaSet in its string", async () => {
    const strings = await connectionStrings(t, group(G, "/clusters/prod-sharded"));
    assert.match(strings.standard!, /^mongodb:\/\/127\.0\.0\.1:\d+\/\?authSource=admin$/);
    const client = await connect(strings.standard!);
    assert.strictEqual((await client.db("admin").command({ hello: 1 })).msg, "isdbgrid");
    assert.strictEqual(await client.db("sales").collection("daily").countDocuments(), 3650);
  });

  it("refuses a wrong password, an unknown user, another project's user and a client without credentials", async () => {
    const uri = (await connectionStrings(t, group(G, "/clusters/prod-cluster"))).standard!;
    for (const [user, password] of [
      [USER.username, "wrong-password"],
      ["nobody", USER.password],
      [OTHER_USER.username, OTHER_USER.password],
    ] as const) {
      await assert.rejects(connect(uri, user, password), (error: unknown) => {
        assert.ok(error instanceof MongoServerError, String(error));
        assert.deepStrictEqual([error.code, error.message], [18, "Authentication failed."]);
        return true;
      });
    }
    const anonymous = new MongoClient(uri);
    clients.push(anonymous);
    await assert.rejects(anonymous.db("orders").collection("orders").findOne(), (error: MongoServerError) => {
      assert.deepStrictEqual([error.code, error.codeName], [13, "Unauthorized"]);
      return true;
    });
    // The second project's user logs in to the second project's clusters.
    const staging = (await connectionStrings(t, group(OTHER, "/clusters/staging-cluster"))).standard!;
    const client = await connect(staging, OTHER_USER.username, OTHER_USER.password);
    assert.strictEqual(await client.db("orders").collection("orders").countDocuments(), 10);
  });

  it("writes, updates, deletes and aggregates as the driver expects, refusing what a unique index forbids", async () => {
    const client = await connect(
      (await connectionStrings(t, group(G, "/flexClusters/analytics-flex"))).standard!,
    );
    const db = client.db("shop");
    const items = db.collection<{ _id?: ObjectId; sku: string; qty: number; tags?: string[] }>("items");
    await items.createIndex({ sku: 1 }, { unique: true });
    const inserted = await items.insertMany([
      { sku: "a", qty: 1 },
      { sku: "b", qty: 5 },
      { sku: "c", qty: 9 },
    ]);
    assert.strictEqual(inserted.insertedCount, 3);
    await assert.rejects(items.insertOne({ sku: "a", qty: 2 }), (error: MongoServerError) => {
      assert.strictEqual(error.code, 11000);
      assert.match(error.message, /^E11000 duplicate key error collection: shop\.items index: sku_1 dup key/);
      return true;
    });
    assert.deepStrictEqual(
      await items.updateMany({ qty: { $gte: 5 } }, { $inc: { qty: 1 }, $push: { tags: "big" } }),
      { acknowledged: true, matchedCount: 2, modifiedCount: 2, upsertedCount: 0, upsertedId: null },
    );
    const upsert = await items.updateOne({ sku: "d" }, { $set: { qty: 0 } }, { upsert: true });
    assert.strictEqual(upsert.upsertedCount, 1);
    const after = await items.findOneAndUpdate(
      { sku: "b" },
      { $set: { qty: 0 } },
      { returnDocument: "after" },
    );
    assert.strictEqual(after?.qty, 0);
    assert.strictEqual((await items.deleteMany({ qty: 0 })).deletedCount, 2);
    assert.deepStrictEqual(
      await items
        .find({}, { projection: { _id: 0, sku: 1, qty: 1 } })
        .sort({ sku: -1 })
        .toArray(),
      [
        { sku: "c", qty: 10 },
        { sku: "a", qty: 1 },
      ],
    );
    await db.collection("owners").insertMany([
      { sku: "a", owner: "ada" },
      { sku: "c", owner: "alan" },
    ]);
    const joined = await items
      .aggregate([
        { $lookup: { from: "owners", localField: "sku", foreignField: "sku", as: "o" } },
        { $project: { _id: 0, sku: 1, owner: { $first: "$o.owner" } } },
        { $sort: { sku: 1 } },
        { $out: "joined" },
      ])
      .toArray();
    assert.deepStrictEqual(joined, []);
    assert.deepStrictEqual(
      await db
        .collection("joined")
        .find({}, { projection: { _id: 0 } })
        .toArray(),
      [
        { sku: "a", owner: "ada" },
        { sku: "c", owner: "alan" },
      ],
    );
    assert.strictEqual(await items.countDocuments({ tags: "big" }), 1);
    assert.deepStrictEqual((await db.listCollections().toArray()).map((c) => c.name).sort(), [
      "items",
      "joined",
      "owners",
    ]);
  });

  it("pages a large result through getMore and killCursors", async () => {
    const client = await connect((await connectionStrings(t, group(G, "/clusters/prod-cluster"))).standard!);
    const customers = client.db("orders").collection("customers");
    let seen = 0;
    for await (const doc of customers.find({}, { batchSize: 700 })) {
      seen++;
      assert.strictEqual(doc._id, seen);
    }
    assert.strictEqual(seen, 5000);
    const cursor = customers.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
  });

  it("answers what it does not support with a MongoServerError naming it", async () => {
    const client = await connect((await connectionStrings(t, group(G, "/clusters/prod-cluster"))).standard!);
    const db = client.db("orders");
    const refusals: Array<[() => Promise<unknown>, number, RegExp]> = [
      [() => db.command({ serverStatus: 1 }), 59, /^no such command: 'serverStatus'$/],
      [
        () =>
          db
            .collection("orders")
            .aggregate([{ $merge: { into: "x" } }])
            .toArray(),
        115,
        /\$merge$/,
      ],
      [
        () =>
          db
            .collection("orders")
            .aggregate([{ $nope: 1 }])
            .toArray(),
        40324,
        /\$nope/,
      ],
      [() => db.createCollection("v", { viewOn: "orders", pipeline: [] }), 115, /option viewOn, pipeline$/],
      [
        () =>
          db
            .collection("orders")
            .find({ n: { $bogus: 1 } })
            .toArray(),
        2,
        /\$bogus/,
      ],
    ];
    for (const [call, code, message] of refusals) {
      await assert.rejects(call(), (error: MongoServerError) => {
        assert.strictEqual(error.code, code, error.message);
        assert.match(error.message, message);
        return true;
      });
    }
    const session = client.startSession();
    try {
      await assert.rejects(
        session.withTransaction(() => db.collection("orders").insertOne({ x: 1 }, { session })),
        (error: MongoServerError) => error.code === 115 && /transactions$/.test(error.message),
      );
    } finally {
      await session.endSession();
    }
  });

  it("refuses to start when a wire-protocol port is in use, naming the cluster and the port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(
        startEmulator({ wirePort: port }),
        new RegExp(
          `^Error: emulator cannot serve prod-orders on 127\\.0\\.0\\.1 \\(EADDRINUSE\\): port ${port}$`,
        ),
      );
    } finally {
      blocker.close();
    }
  });
});
