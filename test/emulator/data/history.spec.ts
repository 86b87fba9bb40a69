import assert from "node:assert";

import { Collection, type Databases } from "../../../emulator/data/collection";
import { ClusterHistory, LAST_INC, put, remove } from "../../../emulator/data/history";

const ids = (databases: Databases, db = "app", coll = "c") =>
  [...(databases.get(db)?.get(coll)?.documents() ?? [])].map((d) => d._id as unknown);

const seeded = (): Databases => new Map([["app", new Map([["c", Collection.of([{ _id: "seed" }])]])]]);

describe("emulator data history", () => {
  it("stamps writes with oplog times: one increment per effect within a second, from 1 in the next", () => {
    const history = new ClusterHistory(new Map());
    assert.deepStrictEqual(
      history.write(10_000, [put("app", "c", { _id: 1 }), put("app", "c", { _id: 2 })]),
      {
        t: 10,
        i: 2,
      },
    );
    assert.deepStrictEqual(history.write(10_999, [put("app", "c", { _id: 3 })]), { t: 10, i: 3 });
    assert.deepStrictEqual(history.write(11_000, [remove("app", "c", 1)]), { t: 11, i: 1 });
    // A clock that went back does not reorder the log.
    assert.deepStrictEqual(history.write(5_000, [put("app", "c", { _id: 4 })]), { t: 11, i: 2 });
    assert.deepStrictEqual(ids(history.current), [2, 3, 4]);
  });

  it("gives the data as of a time or an oplog position, in copies that do not change it", () => {
    const history = new ClusterHistory(seeded());
    history.write(10_000, [put("app", "c", { _id: 1 })]);
    history.write(10_500, [put("app", "c", { _id: 2 })]);
    history.write(12_000, [remove("app", "c", "seed")]);
    assert.deepStrictEqual(ids(history.at({ ms: 9_999 })), ["seed"]);
    assert.deepStrictEqual(ids(history.at({ ms: 10_000 })), ["seed", 1]);
    assert.deepStrictEqual(ids(history.at({ ts: { t: 10, i: 1 } })), ["seed", 1]);
    assert.deepStrictEqual(ids(history.at({ ts: { t: 10, i: LAST_INC } })), ["seed", 1, 2]);
    assert.deepStrictEqual(ids(history.at({ ms: 20_000 })), [1, 2]);
    const copy = history.at({ ms: 10_000 });
    copy.get("app")!.get("c")!.put({ _id: "changed" });
    assert.deepStrictEqual(ids(history.at({ ms: 10_000 })), ["seed", 1]);
    assert.deepStrictEqual(ids(history.current), [1, 2]);
  });

  it("starts an epoch on a restore: before it the old data, from it the restored data and later writes", () => {
    const history = new ClusterHistory(seeded());
    history.write(1_000, [put("app", "c", { _id: "mine" })]);
    const restored: Databases = new Map([["other", new Map([["x", Collection.of([{ _id: "restored" }])]])]]);
    history.replaceAll(2_000, restored);
    history.write(3_000, [put("other", "x", { _id: "later" })]);
    restored.get("other")!.get("x")!.put({ _id: "not part of the epoch's base" });
    assert.deepStrictEqual(ids(history.at({ ms: 1_500 })), ["seed", "mine"]);
    assert.deepStrictEqual(ids(history.at({ ms: 2_500 }), "other", "x"), ["restored"]);
    assert.deepStrictEqual(ids(history.current, "other", "x"), ["restored", "later"]);
    assert.strictEqual(history.current.has("app"), false);
  });

  it("replays collection creation, drops, indexes and whole-collection replacements", () => {
    const history = new ClusterHistory(new Map());
    history.write(1_000, [
      { op: "create", db: "app", coll: "empty", options: { validator: {} } },
      { op: "index", db: "app", coll: "c", index: { v: 2, key: { a: 1 }, name: "a_1" } },
      { op: "replace", db: "app", coll: "r", collection: Collection.of([{ _id: 1 }]) },
    ]);
    history.write(2_000, [
      { op: "dropIndex", db: "app", coll: "c", name: "a_1" },
      { op: "drop", db: "app", coll: "r" },
    ]);
    const then = history.at({ ms: 1_000 });
    assert.deepStrictEqual([...then.get("app")!.keys()], ["empty", "c", "r"]);
    assert.deepStrictEqual(
      then
        .get("app")!
        .get("c")!
        .indexes.map((i) => i.name),
      ["_id_", "a_1"],
    );
    assert.deepStrictEqual([...history.current.get("app")!.keys()], ["empty", "c"]);
    history.write(3_000, [{ op: "dropDatabase", db: "app" }]);
    assert.strictEqual(history.current.size, 0);
  });
});
