import assert from "node:assert";

import { ObjectId } from "bson";

import { CommandError } from "../../../emulator/mongo/errors";
import { applyUpdate, cloneDoc, sameValue, upsertSeed } from "../../../emulator/mongo/updates";

describe("emulator update documents", () => {
  it("applies operators to a copy, leaving the stored document as it was", () => {
    const id = new ObjectId();
    const stored = Object.freeze({ _id: id, a: Object.freeze({ b: [1] }), n: 1 });
    const next = applyUpdate(stored, { $inc: { n: 2 }, $push: { "a.b": 2 }, $set: { c: "x" } });
    assert.deepStrictEqual(next, { _id: id, a: { b: [1, 2] }, n: 3, c: "x" });
    assert.deepStrictEqual(stored, { _id: id, a: { b: [1] }, n: 1 });
    assert.strictEqual(cloneDoc({ id }).id, id, "BSON values are shared, not copied");
  });

  it("writes $setOnInsert only into an upsert's new document", () => {
    const update = { $set: { a: 1 }, $setOnInsert: { created: true } };
    assert.deepStrictEqual(applyUpdate({ _id: 1 }, update), { _id: 1, a: 1 });
    assert.deepStrictEqual(applyUpdate({ _id: 1 }, update, { inserting: true }), {
      _id: 1,
      a: 1,
      created: true,
    });
  });

  it("replaces a document keeping its _id, runs pipelines, and never changes an _id", () => {
    assert.deepStrictEqual(applyUpdate({ _id: 1, a: 1 }, { b: 2 }), { _id: 1, b: 2 });
    assert.deepStrictEqual(applyUpdate({ _id: 1, a: 1 }, [{ $set: { b: { $add: ["$a", 1] } } }]), {
      _id: 1,
      a: 1,
      b: 2,
    });
    assert.throws(
      () => applyUpdate({ _id: 1 }, { $set: { _id: 2 } }),
      (error: unknown) => error instanceof CommandError && error.code === 66,
    );
    assert.throws(
      () => applyUpdate({ _id: 1 }, { $frobnicate: { a: 1 } }),
      (error: unknown) => error instanceof CommandError && error.code === 9,
    );
  });

  it("starts an upsert from the query's equality conditions", () => {
    assert.deepStrictEqual(
      upsertSeed({ a: 1, "b.c": 2, d: { $gt: 1 }, e: { $eq: 3 }, $and: [{ f: 4 }], $or: [{ g: 5 }] }),
      { a: 1, b: { c: 2 }, e: 3, f: 4 },
    );
  });

  it("compares BSON values by type and order", () => {
    assert.ok(sameValue({ a: 1, b: 2 }, { a: 1, b: 2 }));
    assert.ok(!sameValue({ a: 1, b: 2 }, { b: 2, a: 1 }));
    assert.ok(!sameValue(1, "1"));
  });
});
