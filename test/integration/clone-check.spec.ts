import assert from "node:assert";

import { MongoClient } from "mongodb";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { clusterSpec } from "../../provider/kinds/cluster/spec";
import { collectionCompletion, withCollectionWarning } from "../../provider/kinds/collection/lifecycle";
import { COMPLETED_BY_RECORD } from "../../provider/kinds/collection/outputs";
import { collectionSpec } from "../../provider/kinds/collection/spec";
import { readProviderConfig } from "../../provider/pulumi/provider-config";
import { RestoreJobIncompleteError } from "../../provider/restore/errors";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle, Session } from "../../provider/restore/types";
import { systemClock } from "../../provider/waiting/clock";
import { contractCheckedSession } from "../helpers/contract-adapter";
import { asTheEngineRunsIt } from "../helpers/engine";

/**
 * A restore's clone check over real HTTP and the emulator's wire protocol, without the engine: the
 * record reads the target's connection string from its cluster GET (checked against the OpenAPI
 * subset), logs in with the database user stack config names, and counts with the official driver.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const stagingUser = seed.databaseUsers!.find((u) => u.groupId === STAGING)!;

describe("integration: a clone checked by its record, over HTTP and the wire protocol", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let session: Session;
  const operations: string[] = [];
  const messages: string[] = [];
  const count = (operationId: string) => operations.filter((o) => o === operationId).length;

  /** The session as the provider process builds it, with this database password in stack config. */
  const withPassword = (password: string) => {
    const stackConfig: Record<string, string> = {
      "atlasRestore:databaseUsername": stagingUser.username,
      "atlasRestore:databasePassword": password,
      "mongodbatlas:clientId": "unused-here",
      "mongodbatlas:clientSecret": "unused-here",
    };
    const { databaseCredentials } = readProviderConfig((key) => stackConfig[key], {});
    const log = {
      info: (m: string) => messages.push(m),
      warn: (m: string) => messages.push(`warning: ${m}`),
    };
    session = {
      ...contractCheckedSession(emulator.url, operations, log, {
        ATLAS_RESTORE_POLL_MIN_DELAY_MS: "50",
        ATLAS_RESTORE_POLL_MAX_DELAY_MS: "100",
      }),
      databaseCredentials,
    };
  };
  const lifecycle = (kind: "collection" | "cluster"): Lifecycle =>
    asTheEngineRunsIt(
      kind === "collection"
        ? withCollectionWarning(
            createLifecycles(collectionSpec, () => session, systemClock, {
              collection: collectionCompletion,
            }),
            session.log,
          )
        : createLifecycles(clusterSpec, () => session, systemClock),
      kind === "collection" ? { kind: "collection", completed: COMPLETED_BY_RECORD } : {},
    );
  const checked = async (restore: Lifecycle, raw: Record<string, unknown>) => {
    const result = await restore.check({}, { ...raw, __provider: "provider" });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  const staging = () => {
    const endpoint = emulator.wire.find((w) => w.groupId === STAGING && w.name === "staging-cluster")!;
    return new MongoClient(endpoint.connectionString, {
      auth: { username: stagingUser.username, password: stagingUser.password },
    });
  };

  beforeEach(async () => {
    emulator = await startEmulator({ restoreDurationMs: 300, snapshotDurationMs: 300 });
    withPassword(stagingUser.password);
    operations.length = 0;
    messages.length = 0;
  });
  afterEach(() => emulator.close());

  // staging-cluster already holds orders.orders: CREATE_NEW lands the copy in orders.orders_restored.
  const copy = {
    groupId: PRODUCTION,
    clusterName: "prod-cluster",
    targetGroupId: STAGING,
    targetClusterName: "staging-cluster",
    collections: [{ sourceNamespace: "orders.orders" }, { sourceNamespace: "inventory.items" }],
    verify: {
      collections: [
        {
          namespace: "orders.orders",
          documents: { sameAsSource: true },
          query: { filter: { label: { $in: ["orders-1", "orders-2"] } }, atLeast: 2 },
        },
        { namespace: "inventory.items", documents: { exactly: 800 } },
      ],
    },
  };

  it("checks a collection copy where Atlas landed it, against the source's counts, once per job", async () => {
    const restore = lifecycle("collection");
    const inputs = await checked(restore, copy);
    const { id, outs } = await restore.create(inputs);
    assert.deepStrictEqual(outs.verification, {
      ok: true,
      collections: [
        {
          namespace: "orders.orders_restored",
          expected: "as the source: 120000",
          found: 120_000,
          matching: 2,
          ok: true,
        },
        { namespace: "inventory.items", expected: "exactly 800", found: 800, ok: true },
      ],
    });
    assert.ok(
      messages.includes("clone check passed, documents: orders.orders_restored 120000, inventory.items 800"),
    );

    // The clone changes; the same job and the same check on a later `up` look at nothing again.
    const client = staging();
    try {
      await client
        .db("inventory")
        .collection("items")
        .deleteMany({ n: { $lte: 5 } });
    } finally {
      await client.close();
    }
    const reads = count("getGroupCluster");
    const again = await restore.update(id, { ...outs, __provider: "provider" }, inputs);
    assert.deepStrictEqual(again.outs!.verification, outs.verification);
    assert.strictEqual(count("getGroupCluster"), reads, "no target read, no connection");
    assert.strictEqual(count("createGroupClusterCollectionRestoreJob"), 1);
  });

  it("fails an automated restore's step naming the collection and its counts, and a wrong password without showing it", async () => {
    const restore = lifecycle("cluster");
    const automated = {
      groupId: PRODUCTION,
      clusterName: "prod-cluster",
      deliveryType: "automated",
      targetGroupId: STAGING,
      targetClusterName: "staging-cluster",
      verify: { collections: [{ namespace: "orders.customers", documents: { exactly: 4999 } }] },
    };
    const inputs = await checked(restore, automated);
    const error = await restore.create(inputs).catch((e: unknown) => e);
    assert.ok(error instanceof RestoreJobIncompleteError);
    assert.match(
      error.message,
      /^clone check failed: orders\.customers: expected exactly 4999 documents, found 5000; the restore is recorded in state; /,
    );
    assert.strictEqual(error.properties.targetReady, true);

    withPassword("not-the-password");
    const refused = await restore
      .update(error.id, { ...error.properties, __provider: "provider" }, inputs)
      .catch((e: unknown) => e);
    assert.ok(refused instanceof RestoreJobIncompleteError);
    assert.match(
      refused.message,
      /^cannot check the clone: cannot connect to the clone: MongoServerError: Authentication failed\.; /,
    );
    assert.ok(!refused.message.includes("not-the-password"));
    assert.ok(!JSON.stringify(refused.properties).includes("not-the-password"));
    assert.strictEqual(count("createGroupClusterBackupRestoreJob"), 1, "checking again restores nothing");
  });
});
