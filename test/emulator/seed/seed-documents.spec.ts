import assert from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ObjectId } from "bson";

import { seedDatabases } from "../../../emulator/data/seed-data";
import { defaultSeed, loadSeedFile, parseSeed, SeedError } from "../../../emulator/seed/seed-format";

const G = "6650a1b2c3d4e5f6a7b8c9d0";

/** A seed with one flex cluster holding `databases`, and `extra` at the top. */
const seedWith = (databases: unknown, extra: Record<string, unknown> = {}) => ({
  projects: [{ id: G, name: "p" }],
  serverlessInstances: [],
  flexClusters: [{ id: "6650a1b2c3d4e5f6a7b8cc00", groupId: G, name: "f", snapshots: [], databases }],
  apiKeys: [],
  serviceAccounts: [],
  ...extra,
});

const problems = (json: unknown, baseDir?: string): string[] => {
  try {
    parseSeed(json, baseDir);
  } catch (error) {
    assert.ok(error instanceof SeedError);
    return error.problems;
  }
  assert.fail("the seed was accepted");
};

describe("emulator seed documents and database users", () => {
  it("gives the default seed's clusters documents, indexes and a database user per project", () => {
    const seed = defaultSeed();
    assert.deepStrictEqual(
      seed.databaseUsers!.map((u) => [u.groupId, u.username]),
      [
        [G, "app"],
        ["6650a1b2c3d4e5f6a7b8c9d1", "app"],
      ],
    );
    const prod = seed.serverlessInstances.find((c) => c.name === "prod-orders")!;
    const data = seedDatabases(prod);
    assert.deepStrictEqual(
      [...data.get("orders")!].map(([name, c]) => [name, c.size, c.indexes.map((i) => i.name)]),
      [
        ["customers", 3, ["_id_", "email_1"]],
        ["orders", 2000, ["_id_", "label_1"]],
      ],
    );
    const ada = data.get("orders")!.get("customers")!.documents().next().value!;
    assert.ok(ada._id instanceof ObjectId && ada.since instanceof Date);
  });

  it("reads documents from an Extended JSON file, as an array or one per line, relative to the seed file", () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-seed-docs-"));
    try {
      writeFileSync(join(dir, "array.json"), JSON.stringify([{ _id: { $numberLong: "5" } }, { n: 2 }]));
      writeFileSync(join(dir, "lines.json"), '{"a":1}\n\n{"a":{"$date":"2025-01-01T00:00:00Z"}}\n');
      const file = join(dir, "seed.json");
      writeFileSync(
        file,
        JSON.stringify(
          seedWith([
            {
              name: "db",
              collections: [
                { name: "array", file: "array.json" },
                { name: "lines", file: "lines.json" },
              ],
            },
          ]),
        ),
      );
      const cluster = loadSeedFile(file).flexClusters[0]!;
      assert.strictEqual(
        cluster.databases![0]!.collections[0]!.file,
        join(dir, "array.json"),
        "absolute once loaded",
      );
      assert.deepStrictEqual(
        cluster.databases![0]!.collections.map((c) => [c.name, c.documents]),
        [
          ["array", 2],
          ["lines", 2],
        ],
      );
      const docs = [...seedDatabases(cluster).get("db")!.get("array")!.documents()];
      assert.strictEqual(docs[0]!._id, 5);
      assert.ok(docs[1]!._id instanceof ObjectId, "an _id is made up where a document has none");
      assert.deepStrictEqual(
        [...seedDatabases(cluster).get("db")!.get("array")!.documents()].map((d) => String(d._id)),
        docs.map((d) => String(d._id)),
        "the same made-up _id on every start",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists every problem of documents, indexes and users, never a password", () => {
    const secret = "pässword-not-ascii";
    assert.deepStrictEqual(
      problems(
        seedWith(
          [
            {
              name: "db",
              collections: [
                { name: "a", data: [{ x: { $oid: "nope" } }, 3] },
                { name: "b", data: [], file: "x.json" },
                { name: "c", documents: 2, data: [{}] },
                { name: "d", file: "missing.json" },
                { name: "e", documents: 1, indexes: [{ key: { a: 2 } }, { key: { a: 1 }, unique: "yes" }] },
              ],
            },
          ],
          {
            databaseUsers: [
              { groupId: G, username: "app", password: secret },
              { groupId: "6650a1b2c3d4e5f6a7b8c9d9", username: "app", password: "ok" },
            ],
          },
        ),
        "/nowhere",
      ).map((p) => p.replace(/\(ENOENT.*\)$/, "(ENOENT)")),
      [
        "flexClusters[0].databases[0].collections[0].data[0] is not Extended JSON: input must be a 24 character hex string, 12 byte Uint8Array, or an integer",
        "flexClusters[0].databases[0].collections[0].data[1] must be an object",
        "flexClusters[0].databases[0].collections[1] has both data and file",
        "flexClusters[0].databases[0].collections[2].documents must be the number of its documents (1): 2",
        "flexClusters[0].databases[0].collections[3].file cannot be read as Extended JSON: /nowhere/missing.json (ENOENT)",
        "flexClusters[0].databases[0].collections[4].indexes[0].key must name fields, each 1 or -1",
        "flexClusters[0].databases[0].collections[4].indexes[1].unique must be a boolean",
        "databaseUsers[0].password must be a non-empty string of printable ASCII",
        "databaseUsers[1].groupId names an unknown project: 6650a1b2c3d4e5f6a7b8c9d9",
      ],
    );
  });

  it("refuses documents declared on both a serverless instance and its flex cluster", () => {
    const databases = [{ name: "db", collections: [{ name: "c", documents: 1 }] }];
    const json = seedWith(databases);
    json.serverlessInstances = [{ ...json.flexClusters[0]!, id: "6650a1b2c3d4e5f6a7b8ca00" }] as never;
    assert.deepStrictEqual(problems(json), [
      "flexClusters[0].databases repeats its serverless instance's; declare them once: f",
    ]);
  });
});
