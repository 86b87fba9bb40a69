import assert from "node:assert";

import { compareClone, type FoundCollection } from "../../../provider/verify/compare";

const found = (entries: Record<string, FoundCollection>) => new Map(Object.entries(entries));

describe("clone check comparison", () => {
  it("passes when every count and query holds, saying what each one expected", () => {
    const result = compareClone(
      [
        { namespace: "shop.orders", documents: { exactly: 3 } },
        { namespace: "shop.items", documents: { atLeast: 1 }, query: { filter: { sku: "a" } } },
        { namespace: "crm.clients", documents: { sameAsSource: true } },
      ],
      found({
        "shop.orders": { exists: true, documents: 3 },
        "shop.items": { exists: true, documents: 9, matching: 1 },
        "crm.clients": { exists: true, documents: 5000 },
      }),
      new Map([["crm.clients", 5000]]),
    );
    assert.deepStrictEqual(result, {
      ok: true,
      collections: [
        { namespace: "shop.orders", expected: "exactly 3", found: 3, exists: true, ok: true },
        {
          namespace: "shop.items",
          expected: "at least 1",
          found: 9,
          exists: true,
          query: { expectedAtLeast: 1, matching: 1, ok: true },
          ok: true,
        },
        { namespace: "crm.clients", expected: "as the source: 5000", found: 5000, exists: true, ok: true },
      ],
    });
  });

  it("fails with one line naming each failed collection and its counts", () => {
    const result = compareClone(
      [
        { namespace: "shop.orders", documents: { exactly: 3 } },
        { namespace: "shop.items", documents: { atLeast: 1 }, query: { filter: { sku: "a" }, atLeast: 2 } },
        { namespace: "shop.gone", documents: { atLeast: 1 } },
        { namespace: "crm.clients", documents: { sameAsSource: true } },
        { namespace: "crm.leads", documents: { sameAsSource: true } },
      ],
      found({
        "shop.orders": { exists: true, documents: 4 },
        "shop.items": { exists: true, documents: 9, matching: 1 },
        "crm.clients": { exists: true, documents: 4990 },
        "crm.leads": { exists: true, documents: 7 },
      }),
      new Map([["crm.clients", 5000]]),
    );
    assert.strictEqual(result.ok, false);
    assert.deepStrictEqual(
      result.collections.map((c) => c.ok),
      [false, false, false, false, false],
    );
    assert.strictEqual(
      result.failure,
      "clone check failed: shop.orders: expected exactly 3 documents, found 4; " +
        "shop.items: query matched 1 documents, expected at least 2; " +
        "shop.gone: expected at least 1 documents, found 0 (no such collection); " +
        "crm.clients: expected the source's 5000 documents, found 4990; " +
        "crm.leads: expected the source's count, which Atlas did not report, found 7",
    );
  });

  it("accepts an empty collection asked to be empty, existing or not", () => {
    const result = compareClone([{ namespace: "a.b", documents: { exactly: 0 } }], new Map());
    assert.deepStrictEqual([result.ok, result.collections[0]!.exists], [true, false]);
  });
});
