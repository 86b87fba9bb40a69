import assert from "node:assert";

import {
  checkCollectionInputs,
  collectionWarnings,
  isCollectionNamespace,
  isDatabaseName,
} from "../../../../provider/kinds/collection/inputs";
import { withCollectionWarning } from "../../../../provider/kinds/collection/lifecycle";
import { collectionSpec } from "../../../../provider/kinds/collection/spec";
import { UNKNOWN } from "../../../../provider/restore/input-fields";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import { asTheEngineRunsIt } from "../../../helpers/engine";
import { fakeClock } from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const STAGING = "76543210fedcba9876543210";
const NOW = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);
const base = {
  groupId: GROUP,
  clusterName: "prod-cluster",
  targetClusterName: "staging-cluster",
  collections: [{ sourceNamespace: "orders.orders", targetNamespace: "orders_copy.orders" }],
};

const failuresOf = (raw: Record<string, unknown>) => checkCollectionInputs(raw, NOW).failures;
const only = (raw: Record<string, unknown>) => failuresOf(raw).map((f) => `${f.property}: ${f.reason}`);

describe("collection restore job inputs", () => {
  it("fills in the defaults: the source project, CREATE_NEW, ALL, no partial success, waiting", () => {
    const { inputs, failures } = checkCollectionInputs(base, NOW);
    assert.deepStrictEqual(failures, []);
    assert.strictEqual(inputs.targetGroupId, GROUP);
    assert.strictEqual(inputs.writeStrategy, "CREATE_NEW");
    assert.strictEqual(inputs.indexStrategy, "ALL");
    assert.strictEqual(inputs.allowPartial, false);
    assert.strictEqual(inputs.waitForCompletion, true);
    assert.strictEqual(inputs.waitForTarget, true);
  });

  it("accepts every strategy of the enums, and refuses others naming the property", () => {
    for (const writeStrategy of ["CREATE_NEW", "OVERWRITE_EXISTING"])
      for (const indexStrategy of ["ALL", "NONE", "ALL_EXCEPT_TTL"])
        assert.deepStrictEqual(failuresOf({ ...base, writeStrategy, indexStrategy }), []);
    assert.deepStrictEqual(only({ ...base, writeStrategy: "MERGE", indexStrategy: "SOME" }), [
      'writeStrategy: expected "CREATE_NEW" | "OVERWRITE_EXISTING"',
      'indexStrategy: expected "ALL" | "NONE" | "ALL_EXCEPT_TTL"',
    ]);
  });

  it("names a malformed namespace by its path: databases take db, collections db.collection", () => {
    const problems = only({
      ...base,
      databases: [
        { sourceNamespace: "orders.orders" },
        { sourceNamespace: "inventory", targetNamespace: "a b" },
      ],
      collections: [{ sourceNamespace: "orders" }, { sourceNamespace: "orders.system.views" }, {}],
    });
    assert.ok(
      problems.includes("databases[0].sourceNamespace: expected database name (db)"),
      problems.join("\n"),
    );
    assert.ok(problems.includes("databases[1].targetNamespace: expected database name (db)"));
    assert.ok(
      problems.includes("collections[0].sourceNamespace: expected collection namespace (db.collection)"),
    );
    assert.ok(
      problems.includes("collections[1].sourceNamespace: expected collection namespace (db.collection)"),
    );
    assert.ok(
      problems.includes(
        "collections[2].sourceNamespace: required, expected collection namespace (db.collection)",
      ),
    );
  });

  it("names unknown fields of an entry and a source named twice", () => {
    const problems = only({
      ...base,
      collections: [
        { sourceNamespace: "orders.orders", target: "x.y" },
        { sourceNamespace: "orders.orders" },
      ],
    });
    assert.ok(problems.includes("collections[0].target: unknown property"), problems.join("\n"));
    assert.ok(problems.includes("collections[1].sourceNamespace: named twice: orders.orders"));
  });

  it("takes at most 100 entries in each list", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ sourceNamespace: `db${i}` }));
    assert.deepStrictEqual(failuresOf({ ...base, databases: many(100) }), []);
    assert.ok(only({ ...base, databases: many(101) }).includes("databases: at most 100 entries, got 101"));
    const collections = many(101).map((d) => ({ sourceNamespace: `${d.sourceNamespace}.c` }));
    assert.ok(only({ ...base, collections }).includes("collections: at most 100 entries, got 101"));
  });

  it("needs at least one database or collection", () => {
    assert.deepStrictEqual(only({ ...base, collections: [] }), [
      "collections: name at least one database or collection to restore",
    ]);
    assert.deepStrictEqual(
      failuresOf({ ...base, collections: undefined, databases: [{ sourceNamespace: "orders" }] }),
      [],
    );
  });

  it("checks the suffixes as parts of names", () => {
    assert.deepStrictEqual(failuresOf({ ...base, databaseSuffix: "_restored", collectionSuffix: "_v1" }), []);
    assert.deepStrictEqual(only({ ...base, databaseSuffix: "a.b", collectionSuffix: "$x" }), [
      "databaseSuffix: expected string of characters allowed in database names",
      "collectionSuffix: expected string of characters allowed in collection names",
    ]);
  });

  it("takes a snapshot or a point in time, not both", () => {
    const snapshotId = "bbbbbbbbbbbbbbbbbbbbbbbb";
    assert.deepStrictEqual(failuresOf({ ...base, snapshotId }), []);
    assert.deepStrictEqual(failuresOf({ ...base, pointInTimeUtcSeconds: NOW - 3600 }), []);
    assert.deepStrictEqual(failuresOf({ ...base, oplogTs: NOW - 3600, oplogInc: 1 }), []);
    assert.deepStrictEqual(only({ ...base, snapshotId, pointInTimeUtcSeconds: NOW - 3600 }), [
      "snapshotId: give either snapshotId or a point in time (pointInTimeUtcSeconds, or oplogTs with oplogInc), not both",
    ]);
    assert.deepStrictEqual(
      only({ ...base, pointInTimeUtcSeconds: NOW - 60, oplogTs: NOW - 60, oplogInc: 1 }),
      ["pointInTimeUtcSeconds: give either pointInTimeUtcSeconds or oplogTs with oplogInc, not both"],
    );
    assert.deepStrictEqual(only({ ...base, oplogTs: NOW - 60 }), ["oplogInc: required with oplogTs"]);
    assert.deepStrictEqual(only({ ...base, oplogInc: 3 }), ["oplogTs: required with oplogInc"]);
    assert.deepStrictEqual(only({ ...base, pointInTimeUtcSeconds: NOW + 60 }), [
      "pointInTimeUtcSeconds: must not be in the future",
    ]);
  });

  it("points out the dedicated API's spelling pointInTimeUTCSeconds", () => {
    assert.deepStrictEqual(only({ ...base, pointInTimeUTCSeconds: NOW - 60 }), [
      "pointInTimeUTCSeconds: unknown property",
      "pointInTimeUTCSeconds: collection restores spell it pointInTimeUtcSeconds",
    ]);
  });

  it("names the required properties", () => {
    assert.deepStrictEqual(
      only({ collections: base.collections }).map((p) => p.split(":")[0]),
      ["groupId", "clusterName", "targetClusterName"],
    );
  });

  it("leaves values not known until apply to be judged then", () => {
    assert.deepStrictEqual(failuresOf({ ...base, collections: UNKNOWN }), []);
    assert.deepStrictEqual(
      failuresOf({ ...base, collections: [{ sourceNamespace: UNKNOWN, targetNamespace: UNKNOWN }] }),
      [],
    );
  });

  it("reads names as MongoDB does", () => {
    assert.ok(isDatabaseName("orders_2026"));
    assert.ok(!isDatabaseName("a".repeat(64)));
    assert.ok(!isDatabaseName(""));
    assert.ok(isCollectionNamespace("orders.line.items"));
    assert.ok(!isCollectionNamespace(".orders"));
    assert.ok(!isCollectionNamespace("orders."));
  });

  it("warns when OVERWRITE_EXISTING targets the source cluster, and only then", () => {
    const onSource = { ...base, targetClusterName: "prod-cluster", targetGroupId: GROUP };
    assert.strictEqual(collectionWarnings({ ...onSource, writeStrategy: "OVERWRITE_EXISTING" }).length, 1);
    assert.deepStrictEqual(collectionWarnings({ ...onSource, writeStrategy: "CREATE_NEW" }), []);
    assert.deepStrictEqual(collectionWarnings({ ...base, writeStrategy: "OVERWRITE_EXISTING" }), []);
    assert.deepStrictEqual(
      collectionWarnings({ ...onSource, targetGroupId: STAGING, writeStrategy: "OVERWRITE_EXISTING" }),
      [],
    );
  });

  describe("at preview (the provider's check)", () => {
    const noSession = () => {
      throw new Error("check must not open a session");
    };
    const lifecycleWith = (messages: string[]) =>
      asTheEngineRunsIt(
        withCollectionWarning(createLifecycles(collectionSpec, noSession, fakeClock()), {
          info: (m) => messages.push(`info: ${m}`),
          warn: (m) => messages.push(`warn: ${m}`),
        }),
      );

    it("returns every failure at once, each naming its property, without any request", async () => {
      const messages: string[] = [];
      const result = await lifecycleWith(messages).check(
        {},
        { ...base, writeStrategy: "X", collections: [{ sourceNamespace: "bad" }], __provider: "p" },
      );
      assert.deepStrictEqual(
        result.failures?.map((f) => f.reason),
        [
          "collections: expected array of at most 100 { sourceNamespace, targetNamespace? }, each a collection namespace (db.collection)",
          'writeStrategy: expected "CREATE_NEW" | "OVERWRITE_EXISTING"',
          "collections[0].sourceNamespace: expected collection namespace (db.collection)",
        ],
      );
      assert.deepStrictEqual(messages, []);
    });

    it("prints the overwrite warning, naming the cluster", async () => {
      const messages: string[] = [];
      await lifecycleWith(messages).check(
        {},
        { ...base, targetClusterName: "prod-cluster", writeStrategy: "OVERWRITE_EXISTING", __provider: "p" },
      );
      assert.deepStrictEqual(messages, [
        "warn: writeStrategy OVERWRITE_EXISTING into the source cluster drops and replaces the restored " +
          "namespaces there, and writes made to them meanwhile are lost: prod-cluster",
      ]);
    });
  });

  describe("verify: the collections it may name", () => {
    const check = (namespace: string) => ({
      collections: [{ namespace, documents: { sameAsSource: true } }],
    });
    const refused = (raw: Record<string, unknown>) =>
      failuresOf(raw)
        .filter((f) => f.property.startsWith("verify"))
        .map((f) => `${f.property}: ${f.reason}`);

    it("accepts the collections it restores, by target name, with the source's counts", () => {
      assert.deepStrictEqual(refused({ ...base, verify: check("orders_copy.orders") }), []);
      assert.deepStrictEqual(refused({ ...base, verify: check("orders.orders") }), [
        "verify.collections[0].namespace: not a collection this restore writes",
      ]);
    });

    it("names targets as Atlas does: the source with the suffixes, and any collection of a whole database", () => {
      const raw = {
        ...base,
        databaseSuffix: "_s",
        collectionSuffix: "_c",
        collections: [{ sourceNamespace: "orders.orders" }],
        databases: [
          { sourceNamespace: "inventory" },
          { sourceNamespace: "crm", targetNamespace: "crm_copy" },
        ],
      };
      for (const ok of ["orders_s.orders_c", "inventory_s.items", "crm_copy.clients"])
        assert.deepStrictEqual(refused({ ...raw, verify: check(ok) }), [], ok);
      for (const other of ["orders.orders", "orders_s.orders", "crm.clients"])
        assert.deepStrictEqual(refused({ ...raw, verify: check(other) }).length, 1, other);
    });

    it("accepts any collection while the lists are not known yet (preview)", () => {
      assert.deepStrictEqual(
        refused({ ...base, collections: [{ sourceNamespace: UNKNOWN }], verify: check("any.thing") }),
        [],
      );
      assert.deepStrictEqual(refused({ ...base, databaseSuffix: UNKNOWN, verify: check("any.thing") }), []);
    });
  });
});
