import assert from "node:assert";

import sinon from "sinon";

import {
  CloneCheckError,
  type CloneReader,
  connectionStringOf,
  verifyClone,
} from "../../../provider/verify/verify-clone";

const credentials = { username: "app", password: "p@ss word" };
const inputs = {
  collections: [
    { namespace: "shop.orders", documents: { exactly: 2 } },
    { namespace: "shop.items", query: { filter: { sku: "a" } } },
  ],
};

describe("verifyClone", () => {
  afterEach(() => sinon.restore());

  it("reads each collection with its query, compares, and closes the connection", async () => {
    const reader: CloneReader = {
      collection: sinon.fake(async (namespace: string, filter?: Record<string, unknown>) =>
        namespace === "shop.orders"
          ? { exists: true, documents: 2 }
          : { exists: true, documents: 5, matching: filter ? 0 : 5 },
      ),
      close: sinon.fake.resolves(undefined),
    };
    const connect = sinon.fake.resolves(reader);
    const result = await verifyClone({
      connectionString: "mongodb://h/",
      credentials,
      inputs,
      connect,
      timeoutMs: 5,
    });
    assert.deepStrictEqual(connect.firstCall.args, ["mongodb://h/", credentials, 5]);
    assert.deepStrictEqual((reader.collection as sinon.SinonSpy).args, [
      ["shop.orders", undefined],
      ["shop.items", { sku: "a" }],
    ]);
    assert.strictEqual(
      result.failure,
      "clone check failed: shop.items: query matched 0 documents, expected at least 1",
    );
    assert.strictEqual((reader.close as sinon.SinonSpy).callCount, 1);
  });

  it("turns driver errors into CloneCheckError with the code, the password cut out, and still closes", async () => {
    const refused = Object.assign(
      new Error(`Authentication failed for p@ss word and ${encodeURIComponent("p@ss word")}\nstack`),
      {
        name: "MongoServerError",
        code: 18,
      },
    );
    await assert.rejects(
      verifyClone({ connectionString: "x", credentials, inputs, connect: sinon.fake.rejects(refused) }),
      (error: unknown) => {
        assert.ok(error instanceof CloneCheckError);
        assert.strictEqual(
          error.message,
          "cannot connect to the clone: MongoServerError: Authentication failed for *** and ***",
        );
        assert.strictEqual(error.code, 18);
        return true;
      },
    );
    const close = sinon.fake.resolves(undefined);
    const broken: CloneReader = { collection: sinon.fake.rejects(new Error("socket closed")), close };
    await assert.rejects(
      verifyClone({ connectionString: "x", credentials, inputs, connect: sinon.fake.resolves(broken) }),
      /^CloneCheckError: cannot read the clone's collections: Error: socket closed$/,
    );
    assert.strictEqual(close.callCount, 1);
  });

  it("prefers the standard connection string, falling back to SRV", () => {
    assert.strictEqual(
      connectionStringOf({ standard: "mongodb://a", standardSrv: "mongodb+srv://b" }),
      "mongodb://a",
    );
    assert.strictEqual(connectionStringOf({ standardSrv: "mongodb+srv://b" }), "mongodb+srv://b");
    assert.strictEqual(connectionStringOf({}), undefined);
  });
});
