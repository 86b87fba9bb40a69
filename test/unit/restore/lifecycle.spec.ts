import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../provider/atlas/client";
import { AtlasApiError } from "../../../provider/atlas/errors";
import { RestoreJobIncompleteError } from "../../../provider/restore/errors";
import { formatDuration } from "../../../provider/restore/lifecycle";
import type { Lifecycle } from "../../../provider/restore/types";
import { serverlessHarness } from "../../helpers/engine";
import { jobFixture, openAttempts } from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const PROVIDER = "exports.handler = __f0; /* serialized provider */";
const JOB_ID = "65a1b2c3d4e5f6a7b8c9d0e1";

function fakeClient(overrides: Partial<AtlasClient> = {}): sinon.SinonStubbedInstance<AtlasClient> {
  return {
    createServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB_ID })),
    getServerlessRestoreJob: sinon
      .stub()
      .resolves(jobFixture({ id: JOB_ID, finishedAt: "2026-11-28T12:05:00Z" })),
    listServerlessRestoreJobs: sinon.stub().resolves([]),
    listServerlessSnapshots: sinon.stub().resolves([
      { id: "aaaaaaaaaaaaaaaaaaaaaaaa", createdAt: "2026-11-27T00:00:00Z", status: "completed" },
      { id: "bbbbbbbbbbbbbbbbbbbbbbbb", createdAt: "2026-11-28T00:00:00Z", status: "completed" },
      { id: "cccccccccccccccccccccccc", createdAt: "2026-11-28T06:00:00Z", status: "inProgress" },
    ]),
    getServerlessInstance: sinon.stub().resolves({ name: "staging-orders", stateName: "IDLE" }),
    ...overrides,
  } as sinon.SinonStubbedInstance<AtlasClient>;
}

function setup(client = fakeClient()) {
  const { both, ...rest } = serverlessHarness(client);
  return { lifecycle: both, client, ...rest };
}

/** Inputs as `check` returns them. */
async function checked(lifecycle: Pick<Lifecycle, "check">, raw: Record<string, unknown>) {
  const result = await lifecycle.check!({}, { ...raw, __provider: PROVIDER });
  assert.deepStrictEqual(result.failures, []);
  return result.inputs!;
}

const automated = {
  groupId: GROUP,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
};

describe("restore job lifecycle", () => {
  afterEach(() => sinon.restore());

  describe("create", () => {
    it("waits on the planned default schedule, not the geometric one, unless the settings ask for it", async () => {
      const runningOnce = () =>
        fakeClient({
          getServerlessRestoreJob: sinon
            .stub()
            .onFirstCall()
            .resolves(jobFixture({ id: JOB_ID }))
            .resolves(jobFixture({ id: JOB_ID, finishedAt: "2026-11-28T12:05:00Z" })),
        });
      const settings = { minDelayMs: 1500, maxDelayMs: 105_000 };
      const planned = serverlessHarness(runningOnce(), { ...settings, mode: "planned" });
      assert.strictEqual(
        (await planned.both.create(await checked(planned.both, automated))).outs.status,
        "COMPLETED",
      );
      // Nothing predicts this job's length: the first check comes 2 s after the start.
      assert.deepStrictEqual(planned.clock.sleeps, [2_000]);

      const geometric = serverlessHarness(runningOnce(), { ...settings, mode: "geometric" });
      await geometric.both.create(await checked(geometric.both, automated));
      assert.strictEqual(geometric.clock.sleeps.length, 1);
      assert.ok(geometric.clock.sleeps[0]! <= 1500, `geometric first wait: ${geometric.clock.sleeps[0]}`);
    });

    it("restores the newest completed snapshot, waits, and records the decision", async () => {
      const { lifecycle, client, messages } = setup();
      const result = await lifecycle.create(await checked(lifecycle, automated));
      assert.strictEqual(result.id, JOB_ID);
      sinon.assert.calledOnceWithExactly(client.createServerlessRestoreJob, GROUP, "prod-orders", {
        deliveryType: "automated",
        targetClusterName: "staging-orders",
        targetGroupId: GROUP,
        snapshotId: "bbbbbbbbbbbbbbbbbbbbbbbb",
      });
      assert.strictEqual(result.outs.status, "COMPLETED");
      assert.strictEqual(result.outs.snapshotSource, "latest");
      assert.strictEqual(result.outs.finishedAt, "2026-11-28T12:05:00Z");
      assert.ok(
        messages.includes(
          "info: restoring the newest completed snapshot of prod-orders: bbbbbbbbbbbbbbbbbbbbbbbb",
        ),
      );
      assert.ok(!("__provider" in result.outs), "the host adds __provider to outputs itself");
    });

    it("uses the given snapshot without listing snapshots", async () => {
      const { lifecycle, client } = setup();
      const result = await lifecycle.create(
        await checked(lifecycle, { ...automated, snapshotId: "aaaaaaaaaaaaaaaaaaaaaaaa" }),
      );
      sinon.assert.notCalled(client.listServerlessSnapshots);
      assert.strictEqual(result.outs.snapshotSource, "input");
    });

    it("returns a running job at once when waitForCompletion is false", async () => {
      const client = fakeClient({
        getServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB_ID })),
      });
      const { lifecycle, clock } = setup(client);
      const result = await lifecycle.create(
        await checked(lifecycle, { ...automated, waitForCompletion: false }),
      );
      assert.strictEqual(result.outs.status, "RUNNING");
      // The waiter looks once, since its step may run long after the job started; it never sleeps.
      sinon.assert.calledOnce(client.getServerlessRestoreJob);
      assert.deepStrictEqual(clock.sleeps, []);
    });

    it("polls with growing waits and prints progress while the job runs", async () => {
      const client = fakeClient();
      const running = jobFixture({ id: JOB_ID });
      client.getServerlessRestoreJob
        .onCall(0)
        .resolves(running)
        .onCall(1)
        .resolves(running)
        .onCall(2)
        .resolves(jobFixture({ id: JOB_ID, finishedAt: "2026-11-28T12:05:00Z" }));
      const { lifecycle, clock, messages } = setup(client);
      await lifecycle.create(await checked(lifecycle, automated));
      assert.strictEqual(client.getServerlessRestoreJob.callCount, 3);
      // The waiter looks at once (it may have queued behind others), then waits; jitter takes up to
      // a fifth of each wait and the fake random is 0.5.
      assert.deepStrictEqual(clock.sleeps, [900, 1170]);
      assert.ok(
        messages.includes(`info: serverless restore job ${JOB_ID}: COMPLETED, 2s elapsed`),
        messages.join("\n"),
      );
    });

    it("fails with the job and the way to retry when the job fails", async () => {
      const client = fakeClient({
        getServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB_ID, failed: true })),
      });
      const { lifecycle } = setup(client);
      const error = await lifecycle.create(await checked(lifecycle, automated)).catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.strictEqual(error.id, JOB_ID);
      assert.strictEqual(error.properties.status, "FAILED");
      assert.strictEqual(error.properties.restoreJobId, JOB_ID);
      assert.deepStrictEqual(error.reasons, [error.message], "Pulumi keeps the reason in state");
      assert.strictEqual(
        error.message,
        `restore job ended FAILED: ${JOB_ID}; the job is recorded in state; ` +
          "to restore again, change `triggers` or replace the resource (`pulumi up --replace <urn>`)",
      );
    });

    it("fails with the job when it outlives the wait, and never puts a download URL in the error", async () => {
      const client = fakeClient({
        getServerlessRestoreJob: sinon
          .stub()
          .resolves(jobFixture({ id: JOB_ID, deliveryType: "download", deliveryUrl: [] })),
      });
      const { lifecycle, clock } = setup(client);
      const inputs = await checked(lifecycle, {
        groupId: GROUP,
        clusterName: "prod-orders",
        deliveryType: "download",
        waitTimeoutSeconds: 30,
      });
      const error = await lifecycle.create(inputs).catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.match(error.message, new RegExp(`^restore job still running after 30 s: ${JOB_ID}; `));
      assert.strictEqual(error.properties.status, "RUNNING");
      assert.ok(!("deliveryUrl" in error.properties));
      assert.match(error.message, /run `pulumi up` again to resume waiting/);
      assert.strictEqual(
        clock.sleeps.reduce((a, b) => a + b, 0),
        30_000,
      );
    });

    it("keeps waiting through passing poll failures", async () => {
      const client = fakeClient();
      client.getServerlessRestoreJob
        .onCall(0)
        .rejects(new AtlasApiError({ status: 503, method: "GET", path: "/api/x" }))
        .onCall(1)
        .rejects(new AtlasApiError({ method: "GET", path: "/api/x", networkCode: "ECONNREFUSED" }))
        .onCall(2)
        .resolves(jobFixture({ id: JOB_ID, finishedAt: "2026-11-28T12:05:00Z" }));
      const { lifecycle, messages } = setup(client);
      const result = await lifecycle.create(await checked(lifecycle, automated));
      assert.strictEqual(result.outs.status, "COMPLETED");
      assert.ok(
        messages.some((m) =>
          m.startsWith(`info: could not read serverless restore job ${JOB_ID}, trying again`),
        ),
      );
    });

    it("records the job when polling itself fails", async () => {
      const apiError = new AtlasApiError({ status: 403, method: "GET", path: "/api/x" });
      const client = fakeClient({ getServerlessRestoreJob: sinon.stub().rejects(apiError) });
      const { lifecycle } = setup(client);
      const error = await lifecycle.create(await checked(lifecycle, automated)).catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.match(error.message, /^Atlas API answered 403: GET \/api\/x; the job is recorded in state; /);
      assert.strictEqual(error.id, JOB_ID);
    });

    it("warns before restoring into the source instance itself", async () => {
      const { lifecycle, messages } = setup();
      await lifecycle.create(await checked(lifecycle, { ...automated, targetClusterName: "prod-orders" }));
      assert.ok(
        messages.includes(
          "warn: restoring into the source instance itself; its current data will be replaced: prod-orders",
        ),
      );
    });

    it("fails before any POST when no snapshot is completed", async () => {
      const client = fakeClient({ listServerlessSnapshots: sinon.stub().resolves([]) });
      const { lifecycle } = setup(client);
      await assert.rejects(
        lifecycle.create(await checked(lifecycle, automated)),
        /no completed snapshot to restore from serverless instance: prod-orders/,
      );
      sinon.assert.notCalled(client.createServerlessRestoreJob);
    });
  });

  describe("at most one restore per intent", () => {
    const ambiguous = new AtlasApiError({ method: "POST", path: "/api/x", networkCode: "ECONNRESET" });
    const matching = jobFixture({
      id: JOB_ID,
      snapshotId: "bbbbbbbbbbbbbbbbbbbbbbbb",
      targetClusterName: "staging-orders",
      targetGroupId: GROUP,
    });

    it("adopts the job an ambiguous POST created instead of sending it again", async () => {
      const client = fakeClient({
        createServerlessRestoreJob: sinon.stub().rejects(ambiguous),
        listServerlessRestoreJobs: sinon.stub().onCall(0).resolves([]).onCall(1).resolves([matching]),
      });
      const { lifecycle, messages } = setup(client);
      const result = await lifecycle.create(await checked(lifecycle, automated));
      assert.strictEqual(result.id, JOB_ID);
      sinon.assert.calledOnce(client.createServerlessRestoreJob);
      assert.ok(messages.some((m) => m.includes(`the job exists; adopting it: ${JOB_ID}`)));
    });

    it("sends the POST again only when no job appeared", async () => {
      const client = fakeClient({ listServerlessRestoreJobs: sinon.stub().resolves([]) });
      client.createServerlessRestoreJob
        .onCall(0)
        .rejects(ambiguous)
        .onCall(1)
        .resolves(jobFixture({ id: JOB_ID }));
      const { lifecycle } = setup(client);
      await lifecycle.create(await checked(lifecycle, automated));
      sinon.assert.calledTwice(client.createServerlessRestoreJob);
    });

    it("never resends after a clear refusal", async () => {
      const refused = new AtlasApiError({
        status: 400,
        method: "POST",
        path: "/api/x",
        errorCode: "INVALID_PARAMETER",
      });
      const client = fakeClient({ createServerlessRestoreJob: sinon.stub().rejects(refused) });
      const { lifecycle } = setup(client);
      await assert.rejects(lifecycle.create(await checked(lifecycle, automated)), refused);
      sinon.assert.calledOnce(client.createServerlessRestoreJob);
    });

    it("stops on a matching job that nothing records, running or not, rather than restore into the same target twice", async () => {
      const client = fakeClient({ listServerlessRestoreJobs: sinon.stub().resolves([matching]) });
      const { lifecycle } = setup(client);
      await assert.rejects(lifecycle.create(await checked(lifecycle, automated)), (error: Error) => {
        assert.strictEqual(error.name, "UndecidedRestoreError");
        assert.match(error.message, new RegExp(`existingRestoreJobId.*triggers: ${JOB_ID}$`));
        return true;
      });
      sinon.assert.notCalled(client.createServerlessRestoreJob);
    });

    it("adopts the job a killed run recorded in the journal, then closes the attempt", async () => {
      const { lifecycle, client, journal } = setup();
      const inputs = await checked(lifecycle, automated);
      // A run that got the POST's answer and was killed before Pulumi wrote state: its starter
      // returned, and no waiter ever ran.
      const first = setup();
      await first.lifecycles.start.create(inputs);
      assert.strictEqual(openAttempts(first.journal).length, 1);
      for (const [key, intent] of first.journal.entries) journal.put(key, intent);

      const result = await lifecycle.create(inputs);
      assert.strictEqual(result.id, JOB_ID);
      sinon.assert.notCalled(client.createServerlessRestoreJob);
      assert.deepStrictEqual(openAttempts(journal), []);
    });
  });

  describe("update", () => {
    const recorded = (status: string) => ({
      ...automated,
      targetGroupId: GROUP,
      waitForCompletion: true,
      waitTimeoutSeconds: 10800,
      restoreJobId: JOB_ID,
      status,
      snapshotId: "5f0e1d2c3b4a596877665544",
      snapshotSource: "latest",
      __provider: PROVIDER,
    });

    it("resumes waiting for a job recorded while running, without a new restore", async () => {
      const client = fakeClient();
      client.getServerlessRestoreJob
        .onCall(0)
        .resolves(jobFixture({ id: JOB_ID }))
        .onCall(1)
        .resolves(jobFixture({ id: JOB_ID, finishedAt: "2026-11-28T12:05:00Z" }));
      const { lifecycle, messages } = setup(client);
      const news = await checked(lifecycle, automated);
      const result = await lifecycle.update(JOB_ID, recorded("RUNNING"), news);
      assert.strictEqual(result.outs!.status, "COMPLETED");
      assert.strictEqual(result.outs!.snapshotId, "5f0e1d2c3b4a596877665544");
      sinon.assert.notCalled(client.createServerlessRestoreJob);
      assert.ok(
        messages.some((m) => m.includes(`serverless restore job ${JOB_ID}: COMPLETED`)),
        messages.join("\n"),
      );
    });

    it("reads a completed job once for a new setting, and starts nothing", async () => {
      const { lifecycle, client } = setup();
      const news = await checked(lifecycle, { ...automated, waitTimeoutSeconds: 60 });
      const result = await lifecycle.update(JOB_ID, recorded("COMPLETED"), news);
      assert.strictEqual(result.outs!.waitTimeoutSeconds, 60);
      assert.strictEqual(result.outs!.status, "COMPLETED");
      sinon.assert.calledOnce(client.getServerlessRestoreJob);
      sinon.assert.notCalled(client.createServerlessRestoreJob);
    });

    it("keeps failing for a failed job and says how to restore again", async () => {
      const { lifecycle } = setup(
        fakeClient({
          getServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB_ID, failed: true })),
        }),
      );
      await assert.rejects(
        lifecycle.update(JOB_ID, recorded("FAILED"), await checked(lifecycle, automated)),
        {
          name: "RestoreJobIncompleteError",
          message: /--replace <urn>/,
        },
      );
    });
  });

  describe("read", () => {
    it("returns the job's current state", async () => {
      const client = fakeClient({
        getServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB_ID, expired: true })),
      });
      const { lifecycle } = setup(client);
      const inputs = await checked(lifecycle, automated);
      const result = await lifecycle.read(JOB_ID, {
        ...inputs,
        status: "COMPLETED",
        snapshotSource: "latest",
      });
      assert.strictEqual(result.id, JOB_ID);
      assert.strictEqual(result.props.status, "EXPIRED");
      assert.strictEqual(result.props.snapshotSource, "latest");
    });

    it("drops a job that no longer exists from state", async () => {
      const gone = new AtlasApiError({
        status: 404,
        method: "GET",
        path: "/x",
        errorCode: "RESTORE_JOB_NOT_FOUND",
      });
      const { lifecycle } = setup(fakeClient({ getServerlessRestoreJob: sinon.stub().rejects(gone) }));
      const inputs = await checked(lifecycle, automated);
      assert.deepStrictEqual(await lifecycle.read(JOB_ID, { ...inputs, status: "COMPLETED" }), {});
    });
  });

  describe("delete", () => {
    for (const status of ["COMPLETED", "RUNNING", undefined]) {
      it(`forgets the job without calling Atlas (status in state: ${status})`, async () => {
        const { lifecycle, client, messages } = setup();
        const inputs = await checked(lifecycle, automated);
        await lifecycle.delete(JOB_ID, { ...inputs, status });
        sinon.assert.notCalled(client.getServerlessRestoreJob);
        assert.deepStrictEqual(messages, [
          `info: serverless restore job forgotten; Atlas keeps its record, and a job still running goes on: ${JOB_ID}`,
        ]);
      });
    }
  });

  it("check returns a failure, never throws, for inputs that are not an object (issue 22, item 9)", async () => {
    const { lifecycles } = setup();
    for (const news of [null, undefined, "prod-orders", 42, ["prod-orders"]]) {
      const result = await lifecycles.start.check({}, news as unknown as Record<string, unknown>);
      assert.deepStrictEqual(result.failures, [{ property: "", reason: "inputs: expected an object" }]);
    }
  });

  it("formats durations for progress lines", () => {
    assert.strictEqual(formatDuration(7_000), "7s");
    assert.strictEqual(formatDuration(125_000), "2m 05s");
    assert.strictEqual(formatDuration(3_723_000), "1h 02m 03s");
  });
});
