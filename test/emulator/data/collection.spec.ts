import assert from "node:assert";

import { ObjectId } from "bson";

import { Collection, indexName } from "../../../emulator/data/collection";
import { idKey } from "../../../emulator/data/documents";

describe("emulator collections", () => {
  it("keys _ids as BSON compares them", () => {
    assert.strictEqual(idKey(1), idKey(1.0));
    assert.notStrictEqual(idKey(1), idKey("1"));
    const id = new ObjectId();
    assert.strictEqual(idKey(id), idKey(new ObjectId(id.toHexString())));
    assert.strictEqual(idKey({ a: 1, b: [2] }), idKey({ a: 1, b: [2] }));
    assert.notStrictEqual(idKey({ a: 1, b: 2 }), idKey({ b: 2, a: 1 }));
  });

  it("makes generated documents only when read, and stores them on the first write", () => {
    let made = 0;
    const generated = Collection.generated({
      count: 1_000_000,
      make: (i) => {
        made++;
        return { _id: i + 1 };
      },
    });
    assert.strictEqual(generated.size, 1_000_000);
    const copy = generated.copy();
    assert.strictEqual(made, 0, "counting and copying make nothing");
    const small = Collection.generated({ count: 3, make: (i) => ({ _id: i + 1 }) });
    const smallCopy = small.copy();
    small.delete(idKey(2));
    assert.deepStrictEqual([...small.documents()], [{ _id: 1 }, { _id: 3 }]);
    assert.deepStrictEqual([...smallCopy.documents()].length, 3, "a copy keeps its own documents");
    assert.strictEqual(copy.size, 1_000_000);
  });

  it("enforces unique indexes on writes and when they are added", () => {
    const c = Collection.of([
      { _id: 1, email: "a" },
      { _id: 2, email: "b" },
    ]);
    assert.strictEqual(c.addIndex({ v: 2, key: { email: 1 }, name: "email_1", unique: true }), undefined);
    assert.deepStrictEqual(c.uniqueConflict({ _id: 3, email: "a" }, idKey(3))?.values, ["a"]);
    assert.strictEqual(c.uniqueConflict({ _id: 1, email: "a" }, idKey(1)), undefined, "its own value");
    c.put({ _id: 1, email: "c" });
    assert.strictEqual(c.uniqueConflict({ _id: 3, email: "a" }, idKey(3)), undefined, "a's value was freed");
    c.put({ _id: 3, email: "a" });
    assert.deepStrictEqual(c.copy().uniqueConflict({ _id: 4, email: "b" }, idKey(4))?.values, ["b"]);
    assert.deepStrictEqual(c.addIndex({ v: 2, key: { none: 1 }, name: "none_1", unique: true }), {
      values: [null],
    });
    assert.deepStrictEqual(
      c.indexes.map((i) => i.name),
      ["_id_", "email_1"],
    );
    assert.strictEqual(c.dropIndex("email_1"), true);
    assert.strictEqual(c.uniqueConflict({ _id: 4, email: "b" }, idKey(4)), undefined);
  });

  it("names indexes as MongoDB does", () => {
    assert.strictEqual(indexName({ customerId: 1, createdAt: -1 }), "customerId_1_createdAt_-1");
  });
});
