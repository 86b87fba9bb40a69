import assert from "node:assert";

import { isRight } from "fp-ts/Either";

import { UNKNOWN } from "../../../provider/restore/input-fields";
import { checkVerifyInputs } from "../../../provider/verify/check";
import { VerifyCloneInputs } from "../../../provider/verify/inputs";
import { queryProblems } from "../../../provider/verify/query";

const anywhere = { sourceCountsReported: true };

describe("clone check inputs", () => {
  it("decodes a well-formed check, and check() finds nothing wrong with it", () => {
    const raw = {
      collections: [
        { namespace: "shop.orders", documents: { exactly: 3 } },
        {
          namespace: "shop.items",
          query: { filter: { sku: { $in: ["a", "b"] }, _id: { $oid: "6650a1b2c3d4e5f6a7b80001" } } },
        },
        { namespace: "crm.clients", documents: { sameAsSource: true }, query: { filter: {}, atLeast: 0 } },
      ],
    };
    assert.ok(isRight(VerifyCloneInputs.decode(raw)));
    assert.deepStrictEqual(checkVerifyInputs(raw, anywhere), []);
  });

  it("names every bad property: counts, namespaces, queries, unknown fields", () => {
    const failures = checkVerifyInputs(
      {
        extra: 1,
        collections: [
          { namespace: "nodot", documents: { exactly: -1 } },
          { namespace: "shop.orders", documents: { exactly: 1, atLeast: 2 } },
          { namespace: "shop.orders", documents: { atLeast: 1.5 }, colour: "red" },
          { namespace: "shop.items", query: { filter: { price: { $gte: 1, cheap: true } } } },
          {
            namespace: "shop.x",
            query: { filter: { a: { $frobnicate: 1 }, $or: {}, $where: 3 }, atLeast: "1" },
          },
          { namespace: "shop.y" },
          { namespace: "shop.z", documents: { sameAsSource: false }, query: { sort: {} } },
          "shop.w",
        ],
      },
      anywhere,
    );
    assert.deepStrictEqual(failures, [
      { property: "verify.extra", reason: "unknown property" },
      { property: "verify.collections[0].namespace", reason: "expected namespace <database>.<collection>" },
      { property: "verify.collections[0].documents.exactly", reason: "expected integer of documents from 0" },
      {
        property: "verify.collections[1].documents",
        reason: "expected one of { exactly: n }, { atLeast: n }, { sameAsSource: true }",
      },
      { property: "verify.collections[2].colour", reason: "unknown property" },
      { property: "verify.collections[2].namespace", reason: "checked twice" },
      { property: "verify.collections[2].documents.atLeast", reason: "expected integer of documents from 0" },
      { property: "verify.collections[3].query.filter.price", reason: "mixes operators and fields" },
      { property: "verify.collections[4].query.filter.a.$frobnicate", reason: "unknown operator" },
      { property: "verify.collections[4].query.filter.$or", reason: "expected a non-empty array of filters" },
      { property: "verify.collections[4].query.filter.$where", reason: "expected a string" },
      { property: "verify.collections[4].query.atLeast", reason: "expected integer of documents from 0" },
      { property: "verify.collections[5]", reason: "expected documents, query or both" },
      { property: "verify.collections[6].documents.sameAsSource", reason: "expected true" },
      { property: "verify.collections[6].query.sort", reason: "unknown property" },
      { property: "verify.collections[6].query.filter", reason: "required, expected MongoDB query filter" },
      { property: "verify.collections[7]", reason: "expected an object with namespace" },
    ]);
  });

  it("refuses collections the restore does not write, and sameAsSource where Atlas reports no counts", () => {
    const raw = {
      collections: [
        { namespace: "crm.clients", documents: { sameAsSource: true } },
        { namespace: "crm.other", documents: { atLeast: 1 } },
      ],
    };
    assert.deepStrictEqual(
      checkVerifyInputs(raw, {
        writes: { collections: ["crm.clients"], databases: [] },
        sourceCountsReported: false,
      }),
      [
        {
          property: "verify.collections[0].documents.sameAsSource",
          reason:
            "Atlas reports the source's counts for collection-level restores only; expected exactly or atLeast",
        },
        { property: "verify.collections[1].namespace", reason: "not a collection this restore writes" },
      ],
    );
  });

  it("skips what Pulumi does not know yet, and refuses a missing or empty list", () => {
    assert.deepStrictEqual(checkVerifyInputs(UNKNOWN, anywhere), []);
    assert.deepStrictEqual(
      checkVerifyInputs(
        { collections: [UNKNOWN, { namespace: UNKNOWN, documents: { exactly: UNKNOWN } }] },
        anywhere,
      ),
      [],
    );
    assert.deepStrictEqual(checkVerifyInputs({ collections: [] }, anywhere, "check"), [
      { property: "check.collections", reason: "expected a non-empty array of collection checks" },
    ]);
    assert.deepStrictEqual(checkVerifyInputs([], anywhere), [
      { property: "verify", reason: "expected an object with collections" },
    ]);
  });

  it("reads Extended JSON values and nested operators in queries, never printing a value", () => {
    assert.deepStrictEqual(
      queryProblems(
        {
          at: { $gte: { $date: "2025-01-01T00:00:00Z" } },
          tags: { $elemMatch: { $eq: "x" } },
          lines: { $elemMatch: { sku: "a", qty: { $gt: 1 } } },
          name: { $not: { $regex: "^a" } },
          $and: [{ a: 1 }, { b: { $exists: true } }],
          nested: { plain: "document" },
        },
        "f",
      ),
      [],
    );
    assert.deepStrictEqual(queryProblems({ _id: { $oid: "secret-looking" } }, "f"), [
      "f: not valid Extended JSON",
    ]);
    assert.deepStrictEqual(queryProblems("x", "f"), ["f: expected an object (a MongoDB query filter)"]);
    assert.deepStrictEqual(queryProblems({ a: { $not: 1 }, $nope: 1 }, "f"), [
      "f.a.$not: expected an object",
      "f.$nope: unknown top-level operator",
    ]);
  });
});
