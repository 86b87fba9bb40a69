import assert from "node:assert";

import sinon from "sinon";

import type { CollectionRestoreState } from "../../../provider/atlas/collection-wire";
import { collectionCompletion } from "../../../provider/kinds/collection/lifecycle";
import { COMPLETED_BY_RECORD } from "../../../provider/kinds/collection/outputs";
import { RestoreJobIncompleteError } from "../../../provider/restore/errors";
import type { RestoreJobStatus } from "../../../provider/restore/job-status";
import { type JobReader, recordInputs, recordLifecycle } from "../../../provider/restore/record";
import type { WaitOutcome } from "../../../provider/restore/types";
import { fakeAtlasClient, fakeSession } from "../../helpers/fakes";

/**
 * What a collection restore's record completes: the job's per-collection outcome, read once per job
 * and status by the record (never by the program), and the outcome judged with it.
 */

const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const GROUP = "0123456789abcdef01234567";
const PROVIDER = "exports.handler = __f0;";
const DECLARED = ["restoreJobId", "status", "state", "errorMessage", ...COMPLETED_BY_RECORD];

const restored = (source: string, state: string): CollectionRestoreState => ({
  sourceNamespace: source,
  targetNamespace: source,
  state,
  restoredDocuments: 10,
  totalDocuments: 10,
});
const ALL = [restored("orders.orders", "SUCCESSFUL"), restored("orders.customers", "SUCCESSFUL")];
const PARTIAL = [restored("orders.orders", "SUCCESSFUL"), restored("orders.audit", "INDEX_BUILD_FAILED")];

const source = (raw: Record<string, unknown> = {}) => ({
  kind: "collection",
  raw: { groupId: GROUP, clusterName: "prod-cluster", job: { restoreJobId: JOB }, ...raw },
});

function ended(
  status: RestoreJobStatus = "COMPLETED",
  state = "SUCCESSFUL",
  errorMessage?: string,
): WaitOutcome {
  return { outs: { restoreJobId: JOB, status, state, ...(errorMessage ? { errorMessage } : {}) } };
}

function setup(states: CollectionRestoreState[] = ALL) {
  const listCollectionRestoreStates = sinon.stub().resolves(states);
  const { session, messages } = fakeSession(fakeAtlasClient({ listCollectionRestoreStates }));
  const readJob = sinon.stub<Parameters<JobReader>, ReturnType<JobReader>>();
  const record = recordLifecycle(() => session, readJob, { collection: collectionCompletion });
  return { record, listCollectionRestoreStates, messages, readJob };
}

/** The record's inputs as the program registers them: the completed outputs left out. */
const inputsOf = (outcome: WaitOutcome, raw: Record<string, unknown> = {}) => ({
  record: recordInputs(outcome, DECLARED, [], source(raw), COMPLETED_BY_RECORD),
  resourceName: "copy",
  __provider: PROVIDER,
});

const failureOf = async (step: Promise<unknown>): Promise<RestoreJobIncompleteError> => {
  const error = await step.then(
    () => assert.fail("the step must fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RestoreJobIncompleteError);
  return error;
};

describe("a collection restore's record completes its outcome by collection", () => {
  afterEach(() => sinon.restore());

  it("its input leaves the completed outputs out, not null", () => {
    const { record } = inputsOf(ended());
    for (const key of COMPLETED_BY_RECORD) assert.ok(!(key in record), key);
    assert.strictEqual(record.status, "COMPLETED");
  });

  it("lists the job's collections once when it has ended, and records them", async () => {
    const { record, listCollectionRestoreStates } = setup();
    const created = await record.create(inputsOf(ended()));
    sinon.assert.calledOnceWithExactly(listCollectionRestoreStates, GROUP, "prod-cluster", JOB);
    assert.deepStrictEqual(created.outs.unrestoredCollections, []);
    assert.strictEqual(created.outs.partial, false);
    assert.deepStrictEqual(
      (created.outs.collectionStates as { sourceNamespace: string }[]).map((s) => s.sourceNamespace),
      ["orders.orders", "orders.customers"],
    );
  });

  it("lists nothing while the job runs, its outcome by collection null", async () => {
    const { record, listCollectionRestoreStates } = setup();
    const created = await record.create(inputsOf(ended("RUNNING", "IN_PROGRESS")));
    sinon.assert.notCalled(listCollectionRestoreStates);
    for (const key of COMPLETED_BY_RECORD) assert.strictEqual(created.outs[key], null, key);
  });

  it("fails a partial success naming the collection, keeping what it read for the next up", async () => {
    const { record, listCollectionRestoreStates, messages } = setup(PARTIAL);
    const error = await failureOf(record.create(inputsOf(ended())));
    assert.strictEqual(
      error.message,
      `collection restore job ended SUCCESSFUL, not restored: orders.audit (INDEX_BUILD_FAILED); job: ${JOB}; ` +
        "the job is recorded in state; set allowPartial: true to accept it, or restore again with `pulumi up --replace <urn>`",
    );
    assert.strictEqual(error.properties.partial, true);
    assert.deepStrictEqual(error.properties.unrestoredCollections, ["orders.audit (INDEX_BUILD_FAILED)"]);
    assert.strictEqual(error.properties.failure, error.message);
    assert.ok(
      messages.some((m) =>
        m.includes(
          `collection restore job ${JOB}: collections not restored: orders.audit (INDEX_BUILD_FAILED)`,
        ),
      ),
      messages.join("\n"),
    );

    // The next up, unchanged: a change (the failure is not the wait's), failing again with no listing.
    const olds = error.properties;
    const news = inputsOf(ended());
    assert.strictEqual((await record.diff(JOB, olds, news)).changes, true);
    const again = await failureOf(record.update(JOB, olds, news));
    assert.strictEqual(again.message, error.message);
    // allowPartial accepts the job recorded, again with no listing.
    const accepted = await record.update(JOB, olds, inputsOf(ended(), { allowPartial: true }));
    assert.strictEqual(accepted.outs!.partial, true);
    assert.strictEqual(accepted.outs!.failure, null);
    sinon.assert.calledOnce(listCollectionRestoreStates);
  });

  it("accepts a partial success with allowPartial", async () => {
    const { record } = setup(PARTIAL);
    const created = await record.create(inputsOf(ended(), { allowPartial: true }));
    assert.strictEqual(created.outs.partial, true);
    assert.deepStrictEqual(created.outs.unrestoredCollections, ["orders.audit (INDEX_BUILD_FAILED)"]);
  });

  it("fails a failed job with Atlas's reason and the collections by name", async () => {
    const { record } = setup([
      restored("orders.missing", "NOT_FOUND"),
      restored("orders.orders", "NOT_RESTORED"),
    ]);
    const outcome = {
      ...ended("FAILED", "FAILED", "collection was not found: orders.missing"),
      failure: `restore job ended FAILED: ${JOB}`,
    };
    const error = await failureOf(record.create(inputsOf(outcome)));
    assert.strictEqual(
      error.message,
      "collection restore job ended FAILED (collection was not found: orders.missing), not restored: " +
        `orders.missing (NOT_FOUND), orders.orders (NOT_RESTORED); job: ${JOB}; the job is recorded in state; ` +
        "to restore again, change `triggers` or replace the resource (`pulumi up --replace <urn>`)",
    );
  });

  it("takes the outcome by collection from state for the same job and status: no request", async () => {
    const { record, listCollectionRestoreStates } = setup();
    const olds = { ...(await record.create(inputsOf(ended()))).outs, __provider: PROVIDER };
    listCollectionRestoreStates.resetHistory();
    const news = inputsOf(ended());
    const diff = await record.diff(JOB, olds, news);
    assert.strictEqual(diff.changes, false, "an unchanged stack, its details in state");
    const updated = await record.update(JOB, olds, inputsOf(ended(), { allowPartial: true }));
    assert.deepStrictEqual(updated.outs!.collectionStates, olds.collectionStates);
    sinon.assert.notCalled(listCollectionRestoreStates);
  });

  it("reads them again for another status, and says so in diff", async () => {
    const { record, listCollectionRestoreStates } = setup();
    const olds = {
      ...(await record.create(inputsOf(ended("RUNNING", "IN_PROGRESS")))).outs,
      __provider: PROVIDER,
    };
    const news = inputsOf(ended());
    const diff = await record.diff(JOB, olds, news);
    assert.strictEqual(diff.changes, true);
    // Even when nothing else differs: the details are pending.
    const { status: _status, state: _state, ...rest } = olds;
    assert.strictEqual(
      (await record.diff(JOB, { ...rest, status: "COMPLETED", state: "SUCCESSFUL" }, news)).changes,
      true,
    );
    const updated = await record.update(JOB, olds, news);
    assert.strictEqual(updated.outs!.partial, false);
    sinon.assert.calledOnce(listCollectionRestoreStates);
  });

  it("sees no change for a record written when the program listed the collections (its input held them)", async () => {
    const { record } = setup();
    const before = recordInputs(ended(), DECLARED, [], source());
    const olds = {
      ...before,
      collectionStates: [{ sourceNamespace: "orders.orders", state: "SUCCESSFUL" }],
      unrestoredCollections: [],
      partial: false,
      targetReady: null,
      verification: null,
      resourceName: "copy",
      __provider: PROVIDER,
    };
    assert.strictEqual((await record.diff(JOB, olds, inputsOf(ended()))).changes, false);
  });

  it("keeps them on refresh: no read of the job gives them", async () => {
    const { record, readJob, listCollectionRestoreStates } = setup(PARTIAL);
    const olds = (await record.create(inputsOf(ended(), { allowPartial: true }))).outs;
    listCollectionRestoreStates.resetHistory();
    readJob.resolves({ restoreJobId: JOB, status: "COMPLETED", state: "SUCCESSFUL" });
    const read = await record.read(JOB, olds);
    for (const key of COMPLETED_BY_RECORD) assert.deepStrictEqual(read.props![key], olds[key], key);
    sinon.assert.notCalled(listCollectionRestoreStates);
  });

  it("fails the step, keeping the record, when the collections cannot be read", async () => {
    const { record, listCollectionRestoreStates } = setup();
    listCollectionRestoreStates.rejects(new Error("socket hang up"));
    const error = await failureOf(record.create(inputsOf(ended())));
    assert.strictEqual(
      error.message,
      `cannot read the collections of collection restore job ${JOB}: socket hang up; ` +
        "the job is recorded in state; run `pulumi up` again to resume waiting for it",
    );
    assert.strictEqual(error.properties.restoreJobId, JOB);
  });
});
