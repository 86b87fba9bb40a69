import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../../provider/atlas/client";
import type {
  CollectionRestoreJob,
  CollectionRestoreState,
} from "../../../../provider/atlas/collection-wire";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import { CollectionRestoreBusyError } from "../../../../provider/kinds/collection/errors";
import { collectionCompletion, withCollectionWarning } from "../../../../provider/kinds/collection/lifecycle";
import { COMPLETED_BY_RECORD } from "../../../../provider/kinds/collection/outputs";
import { collectionSpec } from "../../../../provider/kinds/collection/spec";
import { RestoreJobIncompleteError } from "../../../../provider/restore/errors";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import { asTheEngineRunsIt } from "../../../helpers/engine";
import { clusterSnapshotFixture, fakeAtlasClient, fakeSession } from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const OTHER = "65a1b2c3d4e5f6a7b8c9d0ff";
const NEWEST = "bbbbbbbbbbbbbbbbbbbbbbbb";
const PROVIDER = "exports.handler = __f0;";
const NOW_S = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);

type Stubs = { [K in keyof AtlasClient]: sinon.SinonStub };

const orders = { sourceNamespace: "orders.orders", targetNamespace: "orders_staging.orders" };
const customers = { sourceNamespace: "orders.customers", targetNamespace: "orders_staging.customers" };
const clone = {
  groupId: GROUP,
  clusterName: "prod-cluster",
  targetClusterName: "staging-cluster",
  collections: [orders, customers],
};

/** A job as Atlas answers it, echoing the request as Atlas normalises it (`""` suffixes, `[]` lists). */
function job(overrides: Partial<CollectionRestoreJob> = {}): CollectionRestoreJob {
  return {
    id: JOB,
    createdAt: "2026-11-28T12:00:00Z",
    snapshotId: NEWEST,
    targetClusterName: "staging-cluster",
    targetGroupId: GROUP,
    writeStrategy: "CREATE_NEW",
    indexStrategy: "ALL",
    databases: [],
    collections: [orders, customers],
    databaseSuffix: "",
    collectionSuffix: "",
    state: "IN_PROGRESS",
    restoredDocuments: 0,
    totalDocuments: 125000,
    indexStatus: { state: "NOT_STARTED", failedCollectionCount: 0 },
    ...overrides,
  };
}

const state = (source: string, s: string, docs: number, restored = docs): CollectionRestoreState => ({
  sourceNamespace: source,
  targetNamespace: source.replace("orders.", "orders_staging."),
  effectiveTargetNamespace: source.replace("orders.", "orders_staging."),
  state: s,
  restoredDocuments: restored,
  totalDocuments: docs,
  indexStatus: { state: s === "INDEX_BUILD_FAILED" ? "FAILED" : "SUCCESSFUL" },
});

const done = job({ state: "SUCCESSFUL", restoredDocuments: 125000, finishedAt: "2026-11-28T12:30:00Z" });
const allRestored = [
  state("orders.orders", "SUCCESSFUL", 120000),
  state("orders.customers", "SUCCESSFUL", 5000),
];

function stubs(overrides: Partial<Stubs> = {}): Stubs {
  return {
    listClusterSnapshots: sinon
      .stub()
      .resolves([
        clusterSnapshotFixture({ id: "aaaaaaaaaaaaaaaaaaaaaaaa", createdAt: "2026-11-27T00:00:00Z" }),
        clusterSnapshotFixture({ id: NEWEST, createdAt: "2026-11-28T00:00:00Z" }),
      ]),
    listCollectionRestoreJobs: sinon.stub().resolves([]),
    createCollectionRestoreJob: sinon.stub().resolves(job()),
    getCollectionRestoreJob: sinon
      .stub()
      .onCall(0)
      .resolves(job({ restoredDocuments: 50000 }))
      .resolves(done),
    listCollectionRestoreStates: sinon.stub().resolves(allRestored),
    getCluster: sinon.stub().resolves({ name: "staging-cluster", stateName: "IDLE" }),
    ...overrides,
  } as Stubs;
}

function setup(methods: Stubs = stubs()) {
  const { session, clock, messages, journal } = fakeSession(fakeAtlasClient(methods as Partial<AtlasClient>));
  const lifecycle = asTheEngineRunsIt(
    withCollectionWarning(
      createLifecycles(collectionSpec, () => session, clock, { collection: collectionCompletion }),
      session.log,
    ),
    { kind: "collection", completed: COMPLETED_BY_RECORD },
  );
  const checked = async (raw: Record<string, unknown>) => {
    const result = await lifecycle.check({}, { ...raw, __provider: PROVIDER });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  return { lifecycle, methods, clock, messages, journal, checked };
}

describe("collection restore job", () => {
  afterEach(() => sinon.restore());

  it("copies two collections under new names from the newest snapshot, with progress in documents", async () => {
    const { lifecycle, checked, methods, messages } = setup();
    const result = await lifecycle.create(await checked(clone));
    assert.strictEqual(result.id, JOB);
    sinon.assert.calledOnceWithExactly(methods.createCollectionRestoreJob, GROUP, "prod-cluster", {
      writeStrategy: "CREATE_NEW",
      indexStrategy: "ALL",
      targetClusterName: "staging-cluster",
      targetGroupId: GROUP,
      collections: [orders, customers],
      snapshotId: NEWEST,
    });
    assert.ok(
      messages.includes(`info: collection restore job ${JOB}: IN_PROGRESS, 50000 of 125000 documents (40%)`),
    );
    assert.ok(
      messages.includes(`info: collection restore job ${JOB}: SUCCESSFUL, 125000 of 125000 documents (100%)`),
    );
    const outs = result.outs;
    assert.strictEqual(outs.status, "COMPLETED");
    assert.strictEqual(outs.state, "SUCCESSFUL");
    assert.strictEqual(outs.snapshotSource, "latest");
    assert.strictEqual(outs.percentRestored, 100);
    assert.strictEqual(outs.partial, false);
    assert.strictEqual(outs.targetReady, true);
    assert.strictEqual(outs.finishedAt, "2026-11-28T12:30:00Z");
    assert.deepStrictEqual(outs.collectionStates, [
      {
        sourceNamespace: "orders.orders",
        targetNamespace: "orders_staging.orders",
        effectiveTargetNamespace: "orders_staging.orders",
        state: "SUCCESSFUL",
        restoredDocuments: 120000,
        totalDocuments: 120000,
        indexState: "SUCCESSFUL",
      },
      {
        sourceNamespace: "orders.customers",
        targetNamespace: "orders_staging.customers",
        effectiveTargetNamespace: "orders_staging.customers",
        state: "SUCCESSFUL",
        restoredDocuments: 5000,
        totalDocuments: 5000,
        indexState: "SUCCESSFUL",
      },
    ]);
  });

  it("the program's wait and preview read the job alone, never its collections", async () => {
    const methods = stubs();
    const { session, clock } = fakeSession(fakeAtlasClient(methods as Partial<AtlasClient>));
    const lifecycles = createLifecycles(collectionSpec, () => session, clock);
    const raw = { ...clone, resourceName: "copy", job: { restoreJobId: JOB, snapshotSource: "latest" } };
    const outcome = await lifecycles.wait(raw);
    assert.strictEqual(outcome.outs.status, "COMPLETED");
    assert.strictEqual(outcome.failure, undefined);
    for (const key of COMPLETED_BY_RECORD) assert.ok(!(key in outcome.outs), key);
    const peeked = await lifecycles.peek(raw);
    assert.strictEqual(peeked!.outs.status, "COMPLETED");
    sinon.assert.notCalled(methods.listCollectionRestoreStates);
  });

  it("sends each strategy, databases and suffixes as given", async () => {
    for (const writeStrategy of ["CREATE_NEW", "OVERWRITE_EXISTING"])
      for (const indexStrategy of ["ALL", "NONE", "ALL_EXCEPT_TTL"]) {
        const methods = stubs({
          createCollectionRestoreJob: sinon.stub().resolves(job({ writeStrategy, indexStrategy })),
        });
        const { lifecycle, checked } = setup(methods);
        await lifecycle.create(
          await checked({
            ...clone,
            collections: undefined,
            databases: [{ sourceNamespace: "inventory" }],
            databaseSuffix: "_copy",
            writeStrategy,
            indexStrategy,
            waitForCompletion: false,
          }),
        );
        sinon.assert.calledOnceWithExactly(methods.createCollectionRestoreJob, GROUP, "prod-cluster", {
          writeStrategy,
          indexStrategy,
          targetClusterName: "staging-cluster",
          targetGroupId: GROUP,
          databases: [{ sourceNamespace: "inventory" }],
          databaseSuffix: "_copy",
          snapshotId: NEWEST,
        });
      }
  });

  it("restores from the snapshot given, without listing snapshots", async () => {
    const methods = stubs();
    const { lifecycle, checked } = setup(methods);
    const result = await lifecycle.create(await checked({ ...clone, snapshotId: NEWEST }));
    sinon.assert.notCalled(methods.listClusterSnapshots);
    assert.strictEqual(methods.createCollectionRestoreJob.firstCall.args[2].snapshotId, NEWEST);
    assert.strictEqual(result.outs.snapshotSource, "input");
  });

  it("restores a point in time with the API's spelling, leaving the snapshot to Atlas", async () => {
    const point = NOW_S - 3600;
    const methods = stubs({
      createCollectionRestoreJob: sinon
        .stub()
        .resolves(job({ pointInTimeUtcSeconds: point, oplogTs: point, oplogInc: 0 })),
    });
    const { lifecycle, checked } = setup(methods);
    const result = await lifecycle.create(await checked({ ...clone, pointInTimeUtcSeconds: point }));
    sinon.assert.notCalled(methods.listClusterSnapshots);
    const body = methods.createCollectionRestoreJob.firstCall.args[2];
    assert.strictEqual(body.pointInTimeUtcSeconds, point);
    assert.strictEqual(body.snapshotId, undefined);
    assert.strictEqual(result.outs.snapshotSource, "job");
    assert.strictEqual(result.outs.snapshotId, NEWEST, "Atlas's choice is recorded");
    // Atlas copies the point into oplogTs; state keeps the inputs as given, so no diff follows.
    assert.strictEqual(result.outs.oplogTs, undefined);
    const diff = await lifecycle.diff(
      JOB,
      { ...result.outs, __provider: PROVIDER },
      // The waiter's inputs: the user's and the job its starter handed over.
      { ...(await checked({ ...clone, pointInTimeUtcSeconds: point })), job: result.outs.job },
    );
    assert.strictEqual(diff.changes, false);
  });

  it("restores an oplog point", async () => {
    const methods = stubs();
    const { lifecycle, checked } = setup(methods);
    await lifecycle.create(
      await checked({ ...clone, oplogTs: NOW_S - 60, oplogInc: 2, waitForCompletion: false }),
    );
    const body = methods.createCollectionRestoreJob.firstCall.args[2];
    assert.deepStrictEqual([body.oplogTs, body.oplogInc, body.snapshotId], [NOW_S - 60, 2, undefined]);
  });

  describe("partial success", () => {
    const partial = [
      state("orders.orders", "SUCCESSFUL", 120000),
      state("orders.audit", "INDEX_BUILD_FAILED", 30000),
    ];

    it("fails the step by default, naming the collections, and records the job", async () => {
      const methods = stubs({ listCollectionRestoreStates: sinon.stub().resolves(partial) });
      const { lifecycle, checked, messages } = setup(methods);
      const error = await lifecycle.create(await checked(clone)).then(
        () => assert.fail("a partial success must fail the step"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.strictEqual(error.id, JOB);
      assert.strictEqual(error.properties.status, "COMPLETED");
      assert.strictEqual(error.properties.partial, true);
      assert.deepStrictEqual(error.properties.unrestoredCollections, ["orders.audit (INDEX_BUILD_FAILED)"]);
      assert.strictEqual(
        error.message,
        `collection restore job ended SUCCESSFUL, not restored: orders.audit (INDEX_BUILD_FAILED); job: ${JOB}; ` +
          "the job is recorded in state; set allowPartial: true to accept it, or restore again with `pulumi up --replace <urn>`",
      );
      assert.ok(
        messages.includes(
          `warn: collection restore job ${JOB}: collections not restored: orders.audit (INDEX_BUILD_FAILED)`,
        ),
      );
    });

    it("succeeds with allowPartial, and a later allowPartial accepts the recorded job without restoring", async () => {
      const methods = stubs({ listCollectionRestoreStates: sinon.stub().resolves(partial) });
      const { lifecycle, checked } = setup(methods);
      const accepted = await lifecycle.create(await checked({ ...clone, allowPartial: true }));
      assert.strictEqual(accepted.outs.partial, true);

      const recorded = (
        (await lifecycle
          .create(await checked(clone))
          .catch((e: RestoreJobIncompleteError) => e)) as RestoreJobIncompleteError
      ).properties;
      const news = { ...(await checked({ ...clone, allowPartial: true })), job: recorded.job };
      const diff = await lifecycle.diff(JOB, recorded, news);
      assert.strictEqual(diff.replaces, undefined, "allowPartial is an update, never a new restore");
      const updated = await lifecycle.update(JOB, recorded, news);
      assert.strictEqual(updated.outs!.partial, true);
      sinon.assert.calledTwice(methods.createCollectionRestoreJob);
    });

    it("a failed job's error gives Atlas's reason and the collections by name", async () => {
      const failed = job({
        state: "FAILED",
        errorMessage: "collection was not found: orders.missing",
        finishedAt: "2026-11-28T12:10:00Z",
      });
      const methods = stubs({
        getCollectionRestoreJob: sinon.stub().resolves(failed),
        listCollectionRestoreStates: sinon
          .stub()
          .resolves([
            state("orders.missing", "NOT_FOUND", 0),
            state("orders.orders", "NOT_RESTORED", 120000, 0),
          ]),
      });
      const { lifecycle, checked, messages } = setup(methods);
      await assert.rejects(lifecycle.create(await checked(clone)), (error: RestoreJobIncompleteError) => {
        assert.strictEqual(error.id, JOB);
        assert.strictEqual(error.properties.status, "FAILED");
        assert.strictEqual(
          error.message,
          "collection restore job ended FAILED (collection was not found: orders.missing), not restored: " +
            `orders.missing (NOT_FOUND), orders.orders (NOT_RESTORED); job: ${JOB}; the job is recorded in state; ` +
            "to restore again, change `triggers` or replace the resource (`pulumi up --replace <urn>`)",
        );
        return true;
      });
      assert.ok(
        messages.includes(
          `warn: collection restore job ${JOB} ended FAILED: collection was not found: orders.missing`,
        ),
      );
    });

    it("reports ROLLBACK collections by name", async () => {
      const methods = stubs({
        listCollectionRestoreStates: sinon
          .stub()
          .resolves([state("orders.orders", "ROLLBACK", 120000, 0), allRestored[1]!]),
      });
      const { lifecycle, checked } = setup(methods);
      await assert.rejects(
        lifecycle.create(await checked(clone)),
        /not restored: orders.orders \(ROLLBACK\)/,
      );
    });
  });

  describe("one collection restore per cluster", () => {
    it("stops on a running job of the same intent that nothing records, and adopts it when named", async () => {
      // Atlas echoes no targetNamespace it was not sent, and "" for suffixes: still the same intent.
      const running = job({ collections: [orders, customers], databases: null });
      const methods = stubs({ listCollectionRestoreJobs: sinon.stub().resolves([running]) });
      const { lifecycle, checked } = setup(methods);
      await assert.rejects(lifecycle.create(await checked({ ...clone, snapshotId: NEWEST })), {
        name: "UndecidedRestoreError",
        jobIds: [JOB],
      });
      sinon.assert.notCalled(methods.createCollectionRestoreJob);
      const named = await lifecycle.create(await checked({ ...clone, existingRestoreJobId: JOB }));
      assert.strictEqual(named.id, JOB);
      sinon.assert.notCalled(methods.createCollectionRestoreJob);
    });

    it("waits for a different running job, watching it by id, then starts its own", async () => {
      const other = job({ id: OTHER, collections: [{ sourceNamespace: "inventory.items" }] });
      const methods = stubs({ listCollectionRestoreJobs: sinon.stub().resolves([other]) });
      methods.getCollectionRestoreJob
        .withArgs(GROUP, "prod-cluster", OTHER)
        .onCall(0)
        .resolves(other)
        .resolves({ ...other, state: "SUCCESSFUL" });
      const { lifecycle, checked, messages, clock } = setup(methods);
      const result = await lifecycle.create(await checked({ ...clone, waitForCompletion: false }));
      assert.strictEqual(result.id, JOB);
      sinon.assert.calledOnce(methods.createCollectionRestoreJob);
      // Once a listing showed it, the running job alone is read, until it ends.
      assert.strictEqual(methods.getCollectionRestoreJob.withArgs(GROUP, "prod-cluster", OTHER).callCount, 2);
      assert.strictEqual(clock.sleeps.length, 1);
      assert.ok(
        messages.includes(
          `info: Atlas runs one collection restore per cluster at a time; waiting for the running one on prod-cluster: ${OTHER}`,
        ),
      );
    });

    it("fails clearly, without posting, when the other job outlasts the wait", async () => {
      const other = job({ id: OTHER, collections: [{ sourceNamespace: "inventory.items" }] });
      const methods = stubs({ listCollectionRestoreJobs: sinon.stub().resolves([other]) });
      methods.getCollectionRestoreJob.withArgs(GROUP, "prod-cluster", OTHER).resolves(other);
      const { lifecycle, checked } = setup(methods);
      await assert.rejects(
        lifecycle.create(await checked({ ...clone, waitTimeoutSeconds: 120 })),
        (error: Error) => {
          assert.ok(error instanceof CollectionRestoreBusyError);
          assert.match(
            error.message,
            /^Atlas runs one collection restore per cluster at a time, and another one on prod-cluster was still running after \d+ s; run `pulumi up` again once it ends: 65a1b2c3d4e5f6a7b8c9d0ff$/,
          );
          return true;
        },
      );
      sinon.assert.notCalled(methods.createCollectionRestoreJob);
    });

    it("a 409 (another job started first) waits for that job and posts again", async () => {
      const other = job({ id: OTHER, collections: [{ sourceNamespace: "inventory.items" }] });
      const busy = new AtlasApiError({
        status: 409,
        method: "POST",
        path: "/x",
        errorCode: "COLLECTION_RESTORE_IN_PROGRESS",
      });
      const methods = stubs({
        listCollectionRestoreJobs: sinon
          .stub()
          .onCall(0)
          .resolves([])
          .onCall(1)
          .resolves([])
          .onCall(2)
          .resolves([other])
          .resolves([{ ...other, state: "SUCCESSFUL" }]),
        createCollectionRestoreJob: sinon.stub().onCall(0).rejects(busy).resolves(job()),
      });
      const { lifecycle, checked } = setup(methods);
      const result = await lifecycle.create(await checked({ ...clone, waitForCompletion: false }));
      assert.strictEqual(result.id, JOB);
      sinon.assert.calledTwice(methods.createCollectionRestoreJob);
    });
  });

  it("after an unclear POST, a resend refused with 409 by the job the first POST started adopts that job (issue 22, item 7)", async () => {
    const lost = new AtlasApiError({ method: "POST", path: "/x", networkCode: "ECONNRESET" });
    const busy = new AtlasApiError({ status: 409, method: "POST", path: "/x", errorCode: "CONFLICT" });
    // The first POST was carried out; the listing shows its job only 6 s later, without writeStrategy.
    const first = job({ writeStrategy: null, state: "IN_PROGRESS" });
    let postedAt: number | undefined;
    const listed = () => {
      const now = t.clock.now();
      t.clock.advance(100);
      if (postedAt === undefined || now < postedAt + 6_000) return [];
      return [now < postedAt + 600_000 ? first : { ...first, state: "SUCCESSFUL", finishedAt: "x" }];
    };
    const create = sinon.stub().callsFake(async () => {
      t.clock.advance(100);
      if (postedAt === undefined) {
        postedAt = t.clock.now();
        throw lost;
      }
      if (t.clock.now() < postedAt + 600_000) throw busy;
      return job({ id: OTHER });
    });
    const methods = stubs({
      listCollectionRestoreJobs: sinon.stub().callsFake(async () => listed()),
      createCollectionRestoreJob: create,
    });
    const t = setup(methods);
    const result = await t.lifecycle.create(
      await t.checked({ ...clone, snapshotId: NEWEST, waitForCompletion: false }),
    );
    assert.strictEqual(result.id, JOB);
    assert.ok(create.callCount <= 2, `${create.callCount} POSTs`);
  });

  it("resumes a recorded running job on the next up, and refresh reads it quietly", async () => {
    const { lifecycle, checked, methods, messages } = setup();
    const first = await lifecycle.create(await checked({ ...clone, waitForCompletion: false }));
    assert.strictEqual(first.outs.status, "RUNNING");
    const resumed = await lifecycle.update(JOB, first.outs, await checked(clone));
    assert.strictEqual(resumed.outs!.status, "COMPLETED");
    sinon.assert.calledOnce(methods.createCollectionRestoreJob);
    messages.length = 0;
    const read = await lifecycle.read(JOB, resumed.outs!);
    assert.strictEqual(read.props!.state, "SUCCESSFUL");
    assert.deepStrictEqual(messages, []);
  });

  it("destroy forgets the job: Atlas has no cancel for collection restores", async () => {
    const { lifecycle, checked, messages } = setup(
      stubs({ getCollectionRestoreJob: sinon.stub().resolves(job()) }),
    );
    const first = await lifecycle.create(await checked({ ...clone, waitForCompletion: false }));
    await lifecycle.delete(JOB, { ...first.outs, __provider: PROVIDER });
    assert.ok(
      messages.includes(
        `info: collection restore job forgotten; Atlas keeps its record, and a job still running goes on: ${JOB}`,
      ),
      messages.join("\n"),
    );
  });
});
