import assert from "node:assert";

import sinon from "sinon";

import { AtlasApiError } from "../../../provider/atlas/errors";
import type { CloneVerifier } from "../../../provider/restore/clone-check";
import { RestoreJobIncompleteError } from "../../../provider/restore/errors";
import { type JobReader, recordInputs, recordLifecycle } from "../../../provider/restore/record";
import type { WaitOutcome } from "../../../provider/restore/types";
import { CloneCheckError, type VerifyCloneInputs, type VerifyResult } from "../../../provider/verify";
import { fakeAtlasClient, fakeSession } from "../../helpers/fakes";

const JOB = "65a1b2c3d4e5f6a7b8c9d0e1";
const OTHER_JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const GROUP = "0123456789abcdef01234567";
const PROVIDER = "exports.handler = __f0;";
const DECLARED = ["restoreJobId", "status", "targetReady", "finishedAt", "deliveryUrl", "snapshotId"];
const SECRETS = ["deliveryUrl"];
const target = { api: "cluster" as const, groupId: GROUP, name: "staging", waitSeconds: 60 };

function completed(overrides: Partial<WaitOutcome> = {}): WaitOutcome {
  return {
    outs: {
      restoreJobId: JOB,
      status: "COMPLETED",
      finishedAt: "2026-11-28T12:05:00Z",
      deliveryUrl: ["https://example.test/secret-token"],
      api: "cluster",
    },
    target,
    ...overrides,
  };
}

const SOURCE = { kind: "cluster", raw: { groupId: GROUP, job: { restoreJobId: JOB } } };

function setup(
  getCluster = sinon.stub().resolves({ name: "staging", stateName: "IDLE" }),
  readJob: JobReader = sinon.stub().rejects(new Error("no read expected")),
  verifier?: CloneVerifier,
) {
  const { session, messages, clock } = fakeSession(fakeAtlasClient({ getCluster }));
  return {
    record: recordLifecycle(() => session, readJob, {}, verifier),
    getCluster,
    messages,
    clock,
    session,
  };
}

/** The record's inputs as the program registers it: one `record`, and its name. */
/** What state holds after a create: its outputs, to which the SDK adds the provider. */
const stored = (outs: Record<string, unknown>) => ({ ...outs, __provider: PROVIDER });

const inputsOf = (outcome: WaitOutcome, source: typeof SOURCE = SOURCE) => ({
  record: recordInputs(outcome, DECLARED, SECRETS, source),
  resourceName: "clone",
  __provider: PROVIDER,
});

/** The same, as state keeps the record's properties. */
const flat = (outcome: WaitOutcome, source: typeof SOURCE = SOURCE) => {
  const { record, ...rest } = inputsOf(outcome, source);
  return { ...record, ...rest };
};

const VERIFY: VerifyCloneInputs = {
  collections: [{ namespace: "orders.orders", documents: { exactly: 2000 } }],
};
/** The resource's inputs as the program hands them to the record, `verify` among them. */
const VERIFYING = { ...SOURCE, raw: { ...SOURCE.raw, verify: VERIFY } };

const passed: VerifyResult = {
  ok: true,
  collections: [
    { namespace: "orders.orders", expected: "exactly 2000", found: 2000, exists: true, ok: true },
  ],
};
const failed: VerifyResult = {
  ok: false,
  collections: [
    { namespace: "orders.orders", expected: "exactly 2000", found: 1990, exists: true, ok: false },
  ],
  failure: "clone check failed: orders.orders: expected exactly 2000 documents, found 1990",
};

describe("a restore's record", () => {
  afterEach(() => sinon.restore());

  describe("its inputs, from the wait's outcome", () => {
    it("hold every declared output but the secrets and the computed ones, null where Atlas said nothing", () => {
      const inputs = recordInputs(completed(), DECLARED, SECRETS, SOURCE);
      assert.deepStrictEqual(inputs, {
        restoreJobId: JOB,
        status: "COMPLETED",
        finishedAt: "2026-11-28T12:05:00Z",
        snapshotId: null,
        failure: null,
        target,
        source: SOURCE,
      });
      assert.ok(!JSON.stringify(inputs).includes("secret-token"));
    });

    it("hold the clone check once, as a property of its own, not again in the source", () => {
      const inputs = recordInputs(completed(), DECLARED, SECRETS, VERIFYING);
      assert.deepStrictEqual(inputs.verify, VERIFY);
      assert.deepStrictEqual(inputs.source, SOURCE);
    });

    it("carry the failure, and no target to wait for", () => {
      const inputs = recordInputs(
        { outs: { restoreJobId: JOB, status: "FAILED" }, failure: "restore job ended FAILED: x" },
        DECLARED,
        SECRETS,
        SOURCE,
      );
      assert.strictEqual(inputs.failure, "restore job ended FAILED: x");
      assert.strictEqual(inputs.target, null);
    });
  });

  describe("create", () => {
    it("waits for the target once, and records that it is ready", async () => {
      const { record, getCluster } = setup();
      const created = await record.create(inputsOf(completed()));
      assert.strictEqual(created.id, JOB);
      assert.strictEqual(created.outs.targetReady, true);
      assert.strictEqual(created.outs.status, "COMPLETED");
      sinon.assert.calledOnceWithExactly(getCluster, GROUP, "staging");
    });

    it("reads no target the program's wait already saw ready after the job ended", async () => {
      const { record, getCluster } = setup();
      const created = await record.create(inputsOf(completed({ targetReady: true })));
      assert.strictEqual(created.outs.targetReady, true);
      sinon.assert.notCalled(getCluster);
    });

    it("records no target for a restore without one (a download), and calls nothing", async () => {
      const { record, getCluster } = setup();
      const created = await record.create(inputsOf(completed({ target: undefined })));
      assert.strictEqual(created.outs.targetReady, null);
      sinon.assert.notCalled(getCluster);
    });

    it("fails with the wait's failure, keeping the job and what the wait saw for state", async () => {
      const { record, getCluster } = setup();
      const failure = `restore job ended FAILED: ${JOB}; the job is recorded in state; to restore again, …`;
      const inputs = inputsOf({ outs: { restoreJobId: JOB, status: "FAILED" }, failure });
      const error = await record.create(inputs).catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.strictEqual(error.id, JOB);
      assert.strictEqual(error.message, failure);
      assert.deepStrictEqual(error.reasons, [failure]);
      assert.strictEqual(error.properties.status, "FAILED");
      assert.strictEqual(error.properties.__provider, PROVIDER, "a later update and delete need it");
      sinon.assert.notCalled(getCluster);
    });

    it("fails when the target does not become ready in time, saying to run up again", async () => {
      const { record } = setup(sinon.stub().resolves({ name: "staging", stateName: "UPDATING" }));
      const inputs = inputsOf(completed({ target: { ...target, waitSeconds: 30 } }));
      await assert.rejects(record.create(inputs), (error: RestoreJobIncompleteError) => {
        assert.match(error.message, /^restore target still UPDATING after 30 s: staging; /);
        assert.match(error.message, /run `pulumi up` again to resume waiting for it$/);
        assert.strictEqual(error.properties.targetReady, undefined);
        return true;
      });
    });

    it("waits through passing read failures of the target", async () => {
      const getCluster = sinon.stub();
      getCluster.onCall(0).rejects(new AtlasApiError({ status: 503, method: "GET", path: "/x" }));
      getCluster.onCall(1).resolves({ name: "staging", stateName: "IDLE" });
      const { record, messages } = setup(getCluster);
      assert.strictEqual((await record.create(inputsOf(completed()))).outs.targetReady, true);
      assert.ok(messages.some((m) => m.startsWith("info: clone: could not read restore target staging")));
    });
  });

  describe("diff", () => {
    it("sees no change when the wait saw the same outcome, whatever the target's recorded state", async () => {
      const { record } = setup();
      const olds = stored((await record.create(inputsOf(completed()))).outs);
      assert.deepStrictEqual(await record.diff(JOB, olds, inputsOf(completed())), {
        changes: false,
        deleteBeforeReplace: false,
      });
    });

    it("sees an update when the outcome changed (a job read again, a failure now resolved)", async () => {
      const { record } = setup();
      const olds = { ...flat(completed()), status: "RUNNING", failure: "still running after 60 s" };
      const diff = await record.diff(JOB, olds, inputsOf(completed()));
      assert.strictEqual(diff.changes, true);
      assert.strictEqual(diff.replaces, undefined);
    });

    it("sees an update when the target was never seen ready", async () => {
      const { record } = setup();
      const olds = flat(completed());
      assert.strictEqual((await record.diff(JOB, olds, inputsOf(completed()))).changes, true);
    });

    it("replaces the record for another job: another restore", async () => {
      const { record } = setup();
      const olds = stored((await record.create(inputsOf(completed()))).outs);
      const news = inputsOf(completed({ outs: { ...completed().outs, restoreJobId: OTHER_JOB } }));
      assert.deepStrictEqual((await record.diff(JOB, olds, news)).replaces, ["restoreJobId"]);
    });
  });

  describe("update", () => {
    it("does not look at the target again for a job already seen ready", async () => {
      const { record, getCluster } = setup();
      const olds = stored((await record.create(inputsOf(completed()))).outs);
      getCluster.resetHistory();
      const updated = await record.update(JOB, olds, { ...inputsOf(completed()), __provider: "new code" });
      assert.strictEqual(updated.outs!.targetReady, true);
      sinon.assert.notCalled(getCluster);
    });

    it("waits for the target of a restore whose earlier wait timed out", async () => {
      const { record, getCluster } = setup();
      const olds = { ...flat(completed()), status: "RUNNING", failure: "still running" };
      const updated = await record.update(JOB, olds, inputsOf(completed()));
      assert.strictEqual(updated.outs!.targetReady, true);
      sinon.assert.calledOnce(getCluster);
    });
  });

  describe("read (refresh)", () => {
    it("reads the job again: a change Atlas made shows in the record, its own properties stay", async () => {
      const readJob = sinon.stub().resolves({ restoreJobId: JOB, status: "EXPIRED", expired: true });
      const { record } = setup(undefined, readJob);
      const props = { ...flat(completed()), targetReady: true };
      const read = await record.read(JOB, props);
      sinon.assert.calledOnceWithExactly(readJob, SOURCE);
      assert.deepStrictEqual(read, {
        id: JOB,
        props: { ...props, status: "EXPIRED", finishedAt: null, snapshotId: null },
      });
    });

    it("keeps the record of a job Atlas no longer has: the starter's refresh decides about it", async () => {
      const gone = new AtlasApiError({ status: 404, method: "GET", path: "/x" });
      const { record } = setup(undefined, sinon.stub().rejects(gone));
      const props = flat(completed());
      assert.deepStrictEqual(await record.read(JOB, props), { id: JOB, props });
    });

    it("fails on any other error, so refresh says it could not read", async () => {
      const busy = new AtlasApiError({ status: 503, method: "GET", path: "/x" });
      const { record } = setup(undefined, sinon.stub().rejects(busy));
      await assert.rejects(record.read(JOB, flat(completed())), busy);
    });
  });

  describe("its clone check (verify)", () => {
    /** A record over a fake verifier that answers `results` in turn. */
    const checking = (...results: (VerifyResult | Error)[]) => {
      const verifier = sinon.stub<Parameters<CloneVerifier>, ReturnType<CloneVerifier>>();
      results.forEach((r, i) =>
        r instanceof Error ? verifier.onCall(i).rejects(r) : verifier.onCall(i).resolves(r),
      );
      return { ...setup(undefined, undefined, verifier), verifier };
    };

    it("runs once the target is ready, and records the outcome by collection", async () => {
      const getCluster = sinon.stub();
      getCluster.onCall(0).resolves({ name: "staging", stateName: "REPAIRING" });
      getCluster.onCall(1).resolves({ name: "staging", stateName: "IDLE" });
      const verifier = sinon.stub<Parameters<CloneVerifier>, ReturnType<CloneVerifier>>().resolves(passed);
      const { record, messages, clock, session } = setup(getCluster, undefined, verifier);
      const start = clock.now();
      const created = await record.create(inputsOf(completed(), VERIFYING));
      assert.ok(
        verifier.firstCall.calledAfter(getCluster.secondCall),
        "checked only once the target is IDLE",
      );
      assert.ok(clock.now() > start, "the target wait slept on the fake clock");
      const [s, aimed, inputs, sourceCounts] = verifier.firstCall.args;
      assert.strictEqual(s.client, session.client);
      assert.deepStrictEqual(aimed, target);
      assert.deepStrictEqual(inputs, VERIFY);
      assert.deepStrictEqual(sourceCounts, new Map());
      assert.deepStrictEqual(created.outs.verification, {
        ok: true,
        collections: [{ namespace: "orders.orders", expected: "exactly 2000", found: 2000, ok: true }],
      });
      assert.strictEqual(created.outs.targetReady, true);
      assert.ok(messages.includes("info: clone: clone check passed, documents: orders.orders 2000"));
    });

    it("fails the step with one line naming the collection and its counts, keeping the record to check again", async () => {
      const { record } = checking(failed);
      const error = await record.create(inputsOf(completed(), VERIFYING)).catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.strictEqual(error.id, JOB);
      assert.strictEqual(
        error.message,
        "clone check failed: orders.orders: expected exactly 2000 documents, found 1990; the restore is " +
          "recorded in state; fix the clone's data, its `verify` or the database credentials and run " +
          "`pulumi up` to check again, or change `triggers` to restore again",
      );
      assert.ok(!error.message.includes("\n"));
      assert.strictEqual(
        error.properties.targetReady,
        true,
        "the next up does not wait for the target again",
      );
      assert.deepStrictEqual(error.properties.verification, {
        ok: false,
        collections: [{ namespace: "orders.orders", expected: "exactly 2000", found: 1990, ok: false }],
      });
      assert.strictEqual(error.properties.__provider, PROVIDER);
    });

    it("fails the same way when the clone cannot be read, with the reason and no verification", async () => {
      const { record } = checking(
        new CloneCheckError("cannot connect to the clone: MongoServerError: Authentication failed."),
      );
      await assert.rejects(
        record.create(inputsOf(completed(), VERIFYING)),
        (error: RestoreJobIncompleteError) => {
          assert.match(
            error.message,
            /^cannot check the clone: cannot connect to the clone: MongoServerError: Authentication failed\.; the restore is recorded in state; /,
          );
          assert.strictEqual(error.properties.verification, null);
          return true;
        },
      );
    });

    it("checks again on the next up after a failed check, and not after a passed one", async () => {
      const { record, verifier, getCluster } = checking(failed, passed);
      const error = (await record
        .create(inputsOf(completed(), VERIFYING))
        .catch((e: unknown) => e)) as RestoreJobIncompleteError;
      const partial = error.properties;
      const news = inputsOf(completed(), VERIFYING);
      assert.strictEqual((await record.diff(JOB, partial, news)).changes, true);
      const updated = await record.update(JOB, partial, news);
      assert.strictEqual((updated.outs!.verification as { ok: boolean }).ok, true);
      // The same job and the same check: no change, and an update (new provider code) connects to nothing.
      const olds = stored(updated.outs!);
      assert.deepStrictEqual(await record.diff(JOB, olds, news), {
        changes: false,
        deleteBeforeReplace: false,
      });
      const again = await record.update(JOB, olds, { ...news, __provider: "new code" });
      assert.deepStrictEqual(again.outs!.verification, updated.outs!.verification);
      sinon.assert.calledTwice(verifier);
      sinon.assert.calledOnce(getCluster);
    });

    it("checks the same restore again when verify changes: an update, never a new restore", async () => {
      const { record, verifier } = checking(passed, passed);
      const olds = stored((await record.create(inputsOf(completed(), VERIFYING))).outs);
      const changed = {
        ...SOURCE,
        raw: {
          ...SOURCE.raw,
          verify: { collections: [{ namespace: "orders.orders", documents: { atLeast: 1 } }] },
        },
      };
      const diff = await record.diff(JOB, olds, inputsOf(completed(), changed));
      assert.deepStrictEqual(diff, { changes: true, deleteBeforeReplace: false });
      await record.update(JOB, olds, inputsOf(completed(), changed));
      sinon.assert.calledTwice(verifier);
      assert.deepStrictEqual(verifier.secondCall.args[2], changed.raw.verify);
    });

    it("checks a new job's clone (another restore replaces the record)", async () => {
      const { record, verifier } = checking(passed, passed);
      const olds = stored((await record.create(inputsOf(completed(), VERIFYING))).outs);
      const next = completed({ outs: { ...completed().outs, restoreJobId: OTHER_JOB } });
      assert.deepStrictEqual((await record.diff(JOB, olds, inputsOf(next, VERIFYING))).replaces, [
        "restoreJobId",
      ]);
      await record.create(inputsOf(next, VERIFYING));
      sinon.assert.calledTwice(verifier);
    });

    it("reads a collection-level restore where Atlas landed it, with the source's counts Atlas reported", async () => {
      const { record, verifier } = checking(passed);
      const collectionStates = [
        {
          sourceNamespace: "orders.orders",
          targetNamespace: "copy.orders",
          effectiveTargetNamespace: "copy.orders_restored",
          totalDocuments: 2000,
        },
        {
          sourceNamespace: "orders.customers",
          targetNamespace: "copy.customers",
          effectiveTargetNamespace: "copy.customers",
          totalDocuments: 3,
        },
      ];
      const verify = {
        collections: [
          { namespace: "copy.orders", documents: { sameAsSource: true as const } },
          { namespace: "copy.customers", query: { filter: { email: { $exists: true } } } },
        ],
      };
      const outcome = completed({ outs: { ...completed().outs, collectionStates } });
      const source = { ...SOURCE, raw: { ...SOURCE.raw, verify } };
      const { record: inputs, ...rest } = inputsOf(outcome, source);
      await record.create({ record: { ...inputs, collectionStates }, ...rest });
      assert.deepStrictEqual(verifier.firstCall.args[2], {
        collections: [
          { namespace: "copy.orders_restored", documents: { sameAsSource: true } },
          { namespace: "copy.customers", query: { filter: { email: { $exists: true } } } },
        ],
      });
      assert.deepStrictEqual(
        verifier.firstCall.args[3],
        new Map([
          ["copy.orders_restored", 2000],
          ["copy.customers", 3],
        ]),
      );
    });

    it("checks nothing, and records no verification, without verify or without a target", async () => {
      const { record, verifier } = checking();
      assert.strictEqual((await record.create(inputsOf(completed()))).outs.verification, null);
      const download = await record.create(inputsOf(completed({ target: undefined }), VERIFYING));
      assert.strictEqual(download.outs.verification, null);
      sinon.assert.notCalled(verifier);
    });
  });

  it("delete calls nothing: the job is the starter's", async () => {
    const { record, getCluster } = setup();
    await record.delete(JOB, flat(completed()));
    sinon.assert.notCalled(getCluster);
  });
});
