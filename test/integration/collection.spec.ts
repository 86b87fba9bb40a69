import assert from "node:assert";

import { defaultSeed, type RunningEmulator, startEmulator } from "../../emulator";
import { collectionCompletion, withCollectionWarning } from "../../provider/kinds/collection/lifecycle";
import { COMPLETED_BY_RECORD } from "../../provider/kinds/collection/outputs";
import { collectionSpec } from "../../provider/kinds/collection/spec";
import { RestoreJobIncompleteError } from "../../provider/restore/errors";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle, Session } from "../../provider/restore/types";
import { systemClock } from "../../provider/waiting/clock";
import { contractCheckedSession } from "../helpers/contract-adapter";
import { asTheEngineRunsIt } from "../helpers/engine";

/**
 * `CollectionRestoreJob` over real HTTP against the emulator, without the engine. Every answer the
 * provider receives is checked against the dedicated OpenAPI subset on the way in (the create's 201
 * and the 409 included), so these tests prove that the provider reads the contract.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];

describe("integration: collection restores over HTTP against the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let session: Session;
  let collection: Lifecycle;
  const messages: string[] = [];
  const operations: string[] = [];

  const checked = async (raw: Record<string, unknown>) => {
    const result = await collection.check({}, { ...raw, __provider: "provider" });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  const count = (operationId: string) => operations.filter((o) => o === operationId).length;
  const admin = (path: string, method: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeEach(async () => {
    emulator = await startEmulator({ restoreDurationMs: 400, snapshotDurationMs: 300 });
    const log = {
      info: (m: string) => messages.push(m),
      warn: (m: string) => messages.push(`warning: ${m}`),
    };
    session = contractCheckedSession(emulator.url, operations, log, {
      ATLAS_RESTORE_POLL_MIN_DELAY_MS: "50",
      ATLAS_RESTORE_POLL_MAX_DELAY_MS: "100",
    });
    collection = asTheEngineRunsIt(
      withCollectionWarning(
        createLifecycles(collectionSpec, () => session, systemClock, { collection: collectionCompletion }),
        log,
      ),
      { kind: "collection", completed: COMPLETED_BY_RECORD },
    );
    messages.length = 0;
    operations.length = 0;
  });
  afterEach(() => emulator.close());

  const clone = {
    groupId: PRODUCTION,
    clusterName: "prod-cluster",
    targetGroupId: STAGING,
    targetClusterName: "staging-cluster",
    collections: [
      { sourceNamespace: "orders.orders", targetNamespace: "orders_staging.orders" },
      { sourceNamespace: "orders.customers", targetNamespace: "orders_staging.customers" },
    ],
  };

  it("copies two collections of production into staging under new names, with progress", async () => {
    const { id, outs } = await collection.create(await checked(clone));
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.state, "SUCCESSFUL");
    assert.strictEqual(outs.snapshotSource, "latest");
    assert.strictEqual(outs.totalDocuments, 125000);
    assert.strictEqual(outs.restoredDocuments, 125000);
    assert.strictEqual(outs.targetReady, true);
    assert.deepStrictEqual(
      (
        outs.collectionStates as {
          sourceNamespace: string;
          effectiveTargetNamespace: string;
          state: string;
        }[]
      ).map((s) => [s.sourceNamespace, s.effectiveTargetNamespace, s.state]),
      [
        ["orders.orders", "orders_staging.orders", "SUCCESSFUL"],
        ["orders.customers", "orders_staging.customers", "SUCCESSFUL"],
      ],
    );
    assert.strictEqual(count("createGroupClusterCollectionRestoreJob"), 1);
    // The program's reads of the job never list its collections; the record lists them once.
    assert.strictEqual(count("listGroupClusterCollectionRestoreJobCollections"), 1);
    assert.ok(
      messages.some((m) => / of 125000 documents \(\d+%\)$/.test(m)),
      messages.join("\n"),
    );
    const read = await collection.read(id, outs);
    assert.strictEqual(read.props.state, "SUCCESSFUL");
  });

  it("a point in time, OVERWRITE_EXISTING and no indexes; a whole database with a suffix", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { outs } = await collection.create(
      await checked({
        ...clone,
        collections: undefined,
        databases: [{ sourceNamespace: "inventory" }],
        databaseSuffix: "_pit",
        pointInTimeUtcSeconds: now - 3600,
        writeStrategy: "OVERWRITE_EXISTING",
        indexStrategy: "NONE",
      }),
    );
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.snapshotSource, "job");
    assert.strictEqual(typeof outs.snapshotId, "string");
    assert.strictEqual(outs.pointInTimeUtcSeconds, now - 3600);
    const [items] = outs.collectionStates as { effectiveTargetNamespace: string; indexState: string }[];
    assert.deepStrictEqual(
      [items!.effectiveTargetNamespace, items!.indexState],
      ["inventory_pit.items", "NOT_RESTORED"],
    );
    assert.strictEqual(count("listGroupClusterBackupSnapshots"), 0);
  });

  it("a partial success (INDEX_BUILD_FAILED) fails by default naming the collection; allowPartial accepts it", async () => {
    const withAudit = { ...clone, collections: [...clone.collections, { sourceNamespace: "orders.audit" }] };
    const error = await collection.create(await checked(withAudit)).then(
      () => assert.fail("a partial success must fail the step"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RestoreJobIncompleteError);
    assert.match(
      error.message,
      /ended SUCCESSFUL, not restored: orders\.audit \(INDEX_BUILD_FAILED\); job: /,
    );
    const recorded = error.properties;
    const { outs } = (await collection.update(
      error.id,
      recorded,
      await checked({ ...withAudit, allowPartial: true }),
    ))!;
    assert.strictEqual(outs!.partial, true);
    assert.strictEqual(count("createGroupClusterCollectionRestoreJob"), 1);
    // The failed step recorded the collections: accepting them reads the job, not its collections.
    assert.strictEqual(count("listGroupClusterCollectionRestoreJobCollections"), 1);
  });

  it("a collection forced NOT_FOUND fails the job, and the error names it", async () => {
    await admin(`collection-outcomes/${PRODUCTION}/prod-cluster/orders.customers`, "PUT", {
      outcome: "NOT_FOUND",
    });
    await assert.rejects(
      collection.create(await checked(clone)),
      /ended FAILED \(collection was not found: orders\.customers\), not restored: orders\.customers \(NOT_FOUND\)/,
    );
  });

  it("one job per cluster: a job another resource holds is never adopted; each waits for the one running", async () => {
    const first = await collection.create(await checked({ ...clone, waitForCompletion: false }));
    assert.strictEqual(first.outs.status, "RUNNING");
    // Another resource of the same intent, on the machine whose state holds the first job: that job is
    // not its own, so it waits for it, then starts its own (a fresh machine would stop: unit and sim).
    const second = await collection.create(
      await checked({ ...clone, owner: "p/other/clone", waitForCompletion: false }),
    );
    assert.notStrictEqual(second.id, first.id);
    assert.ok(messages.some((m) => m.includes(`waiting for the running one on prod-cluster: ${first.id}`)));

    const other = await collection.create(
      await checked({ ...clone, collections: [{ sourceNamespace: "inventory.items" }] }),
    );
    assert.ok(![first.id, second.id].includes(other.id));
    assert.strictEqual(other.outs.status, "COMPLETED");
    assert.strictEqual(count("createGroupClusterCollectionRestoreJob"), 3, "no POST answered 409");
  });

  it("answers lost after Atlas acted: still one job", async () => {
    await admin("options", "PATCH", {
      faults: [
        {
          operationId: "createGroupClusterCollectionRestoreJob",
          action: "drop-response-after-commit",
          count: 1,
        },
      ],
    });
    const { outs } = await collection.create(await checked(clone));
    assert.strictEqual(outs.status, "COMPLETED");
    assert.ok(messages.some((m) => m.includes("got no clear answer")));
    const jobs = await session.client.listCollectionRestoreJobs(PRODUCTION, "prod-cluster");
    assert.deepStrictEqual(
      jobs.map((job) => job.id),
      [outs.restoreJobId],
    );
  });
});
