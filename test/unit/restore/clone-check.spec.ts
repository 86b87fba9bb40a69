import assert from "node:assert";

import sinon from "sinon";

import { AtlasApiError } from "../../../provider/atlas/errors";
import {
  atlasCloneVerifier,
  checkedBefore,
  targetConnectionString,
  verificationOf,
} from "../../../provider/restore/clone-check";
import type { RestoreTarget } from "../../../provider/restore/types";
import { CloneCheckError, type CloneReader, DatabaseCredentialsError } from "../../../provider/verify";
import { fakeAtlasClient, fakeSession } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e1";
const STANDARD = "mongodb://127.0.0.1:27017/?authSource=admin&replicaSet=staging-shard-0";
const SRV = "mongodb+srv://staging.abcdef.mongodb.net/?authSource=admin";
const at = (api: RestoreTarget["api"]): RestoreTarget => ({ api, groupId: GROUP, name: "staging" });
const notFound = (path: string) => new AtlasApiError({ status: 404, method: "GET", path });

describe("the record's clone check", () => {
  afterEach(() => sinon.restore());

  describe("targetConnectionString", () => {
    it("takes the standard string of a dedicated or Flex target, from the API that owns it", async () => {
      const getCluster = sinon.fake.resolves({
        name: "staging",
        connectionStrings: { standard: STANDARD, standardSrv: SRV },
      });
      const getFlexCluster = sinon.fake.resolves({
        name: "staging",
        connectionStrings: { standard: STANDARD },
      });
      const { session } = fakeSession(fakeAtlasClient({ getCluster, getFlexCluster }));
      assert.strictEqual(await targetConnectionString(session, at("cluster")), STANDARD);
      assert.strictEqual(await targetConnectionString(session, at("flex")), STANDARD);
      sinon.assert.calledOnceWithExactly(getCluster, GROUP, "staging");
      sinon.assert.calledOnceWithExactly(getFlexCluster, GROUP, "staging");
    });

    it("reads a serverless target's standard string from the Flex cluster it became, else its SRV string", async () => {
      const getServerlessInstance = sinon.fake.resolves({
        name: "staging",
        connectionStrings: { standardSrv: SRV },
      });
      const migrated = fakeSession(
        fakeAtlasClient({
          getServerlessInstance,
          getFlexCluster: sinon.fake.resolves({ name: "staging", connectionStrings: { standard: STANDARD } }),
        }),
      );
      assert.strictEqual(await targetConnectionString(migrated.session, at("serverless")), STANDARD);
      const notYet = fakeSession(
        fakeAtlasClient({
          getServerlessInstance,
          getFlexCluster: sinon.fake.rejects(notFound("/flexClusters/staging")),
        }),
      );
      assert.strictEqual(await targetConnectionString(notYet.session, at("serverless")), SRV);
    });

    it("passes on other failures, and refuses a target Atlas gives no string for", async () => {
      const busy = new AtlasApiError({ status: 503, method: "GET", path: "/flexClusters/staging" });
      const failing = fakeSession(
        fakeAtlasClient({
          getServerlessInstance: sinon.fake.resolves({
            name: "staging",
            connectionStrings: { standardSrv: SRV },
          }),
          getFlexCluster: sinon.fake.rejects(busy),
        }),
      );
      await assert.rejects(targetConnectionString(failing.session, at("serverless")), busy);
      const bare = fakeSession(fakeAtlasClient({ getCluster: sinon.fake.resolves({ name: "staging" }) }));
      await assert.rejects(
        targetConnectionString(bare.session, at("cluster")),
        new CloneCheckError("Atlas reports no connection string for the restore's target: staging"),
      );
    });
  });

  describe("atlasCloneVerifier", () => {
    const inputs = { collections: [{ namespace: "orders.orders", documents: { exactly: 2 } }] };
    const reader: CloneReader = {
      collection: async () => ({ exists: true, documents: 2 }),
      close: async () => undefined,
    };

    it("logs in to the target's string as the target's database user from the session", async () => {
      const { session } = fakeSession(
        fakeAtlasClient({
          getCluster: sinon.fake.resolves({ name: "staging", connectionStrings: { standard: STANDARD } }),
        }),
      );
      const databaseCredentials = sinon.fake.returns({ username: "app", password: "db-pass" });
      const connect = sinon.fake.resolves(reader);
      const result = await atlasCloneVerifier(connect)(
        { ...session, databaseCredentials },
        at("cluster"),
        inputs,
        new Map(),
      );
      assert.strictEqual(result.ok, true);
      sinon.assert.calledOnceWithExactly(databaseCredentials, { groupId: GROUP, clusterName: "staging" });
      assert.deepStrictEqual(connect.firstCall.args.slice(0, 2), [
        STANDARD,
        { username: "app", password: "db-pass" },
      ]);
    });

    it("refuses a session without database credentials before any call", async () => {
      const getCluster = sinon.fake.resolves({ name: "staging" });
      const { session } = fakeSession(fakeAtlasClient({ getCluster }));
      await assert.rejects(
        atlasCloneVerifier(sinon.fake.resolves(reader))(session, at("cluster"), inputs, new Map()),
        DatabaseCredentialsError,
      );
      sinon.assert.notCalled(getCluster);
    });
  });

  it("keeps the counts of each collection in state, and nothing read from the documents", () => {
    assert.deepStrictEqual(
      verificationOf({
        ok: false,
        collections: [
          { namespace: "a.b", expected: "exactly 1", found: 0, exists: false, ok: false },
          {
            namespace: "a.c",
            found: 9,
            exists: true,
            query: { expectedAtLeast: 2, matching: 3, ok: true },
            ok: true,
          },
        ],
        failure: "clone check failed: a.b: expected exactly 1 documents, found 0 (no such collection)",
      }),
      {
        ok: false,
        collections: [
          { namespace: "a.b", expected: "exactly 1", found: 0, ok: false },
          { namespace: "a.c", found: 9, matching: 3, ok: true },
        ],
      },
    );
  });

  it("counts a check as done for the same job and the same verify, once it passed", () => {
    const verify = { collections: [{ namespace: "a.b", documents: { atLeast: 1 } }] };
    const passed = { restoreJobId: JOB, verify, verification: { ok: true, collections: [] } };
    const news = { restoreJobId: JOB, verify };
    assert.strictEqual(checkedBefore(passed, news), true);
    assert.strictEqual(checkedBefore(undefined, news), false);
    assert.strictEqual(
      checkedBefore({ ...passed, verification: { ok: false, collections: [] } }, news),
      false,
    );
    assert.strictEqual(checkedBefore({ ...passed, restoreJobId: "65a1b2c3d4e5f6a7b8c9d0e2" }, news), false);
    assert.strictEqual(
      checkedBefore(passed, {
        ...news,
        verify: { collections: [{ namespace: "a.b", documents: { atLeast: 2 } }] },
      }),
      false,
    );
  });
});
