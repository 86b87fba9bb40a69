import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../provider/atlas/client";
import { AtlasApiError } from "../../../provider/atlas/errors";
import { serverlessSpec } from "../../../provider/kinds/serverless/spec";
import { createLifecycles } from "../../../provider/restore/lifecycle";
import type { Lifecycle } from "../../../provider/restore/types";
import { serverlessHarness } from "../../helpers/engine";
import { fakeAtlasClient, jobFixture, openAttempts } from "../../helpers/fakes";

/**
 * The two children of a restore: the starter returns as soon as Atlas answers, the waiter waits; and
 * the defects of issue 11 that live in the lifecycle, each with the test that failed before its fix.
 */

const GROUP = "0123456789abcdef01234567";
const JOB_ID = "65a1b2c3d4e5f6a7b8c9d0e1";
const SNAPSHOT = "bbbbbbbbbbbbbbbbbbbbbbbb";
const PROVIDER = "exports.handler = __f0;";
const automated = {
  groupId: GROUP,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
  snapshotId: SNAPSHOT,
  resourceName: "orders-into-staging",
};
const done = jobFixture({
  id: JOB_ID,
  snapshotId: SNAPSHOT,
  targetGroupId: GROUP,
  finishedAt: "2026-11-28T12:05:00Z",
});
const notFound = (errorCode: string) =>
  new AtlasApiError({ status: 404, method: "GET", path: "/api/x", errorCode });

function setup(methods: Partial<AtlasClient> = {}) {
  const client = fakeAtlasClient({
    listServerlessRestoreJobs: sinon.fake.resolves([]),
    createServerlessRestoreJob: sinon.fake.resolves(jobFixture({ id: JOB_ID, snapshotId: SNAPSHOT })),
    getServerlessRestoreJob: sinon.fake.resolves(done),
    getServerlessInstance: sinon.fake.resolves({ name: "staging-orders", stateName: "IDLE" }),
    ...methods,
  });
  const { lifecycles, ...rest } = serverlessHarness(client);
  return { ...lifecycles, ...rest, client };
}

async function checked(lifecycle: Pick<Lifecycle, "check">, raw: Record<string, unknown>) {
  const result = await lifecycle.check({}, { ...raw, __provider: PROVIDER });
  assert.deepStrictEqual(result.failures, []);
  return result.inputs!;
}

const jobOf = (outs: Record<string, unknown>) => ({
  restoreJobId: outs.restoreJobId,
  api: outs.api,
  snapshotId: outs.snapshotId,
  snapshotSource: outs.snapshotSource,
});

describe("a restore's starter and its wait", () => {
  afterEach(() => sinon.restore());

  it("the starter returns the job as soon as Atlas answers, without reading it", async () => {
    const t = setup();
    const started = await t.start.create(await checked(t.start, automated));
    assert.strictEqual(started.id, JOB_ID);
    assert.strictEqual(started.outs.status, undefined, "what Atlas says of the job is the record's");
    assert.strictEqual(started.outs.resourceName, "orders-into-staging");
    sinon.assert.notCalled(t.client.getServerlessRestoreJob as sinon.SinonSpy);
    assert.deepStrictEqual(t.clock.sleeps, []);
  });

  it("keeps the attempt open until state is seen to hold the job: the waiter's create closes it", async () => {
    const t = setup();
    const started = await t.start.create(await checked(t.start, automated));
    assert.strictEqual(openAttempts(t.journal).length, 1, "a provider that returned is not yet state");
    assert.strictEqual(openAttempts(t.journal)[0]!.jobId, JOB_ID);
    await t.wait({ ...automated, job: jobOf(started.outs) });
    assert.deepStrictEqual(openAttempts(t.journal), []);
    // What stays is the job, as one this resource's state held: never a later restore's own.
    assert.ok([...t.journal.entries.values()].every((entry) => entry.heldJobIds?.includes(JOB_ID)));
  });

  for (const method of ["diff", "read", "update"] as const) {
    it(`a later ${method} of the starter, which sees the id in state, closes the attempt`, async () => {
      const t = setup();
      const started = await t.start.create(await checked(t.start, automated));
      const news = await checked(t.start, automated);
      const olds = { ...started.outs, __provider: PROVIDER };
      if (method === "diff") await t.start.diff(JOB_ID, olds, news);
      if (method === "read") await t.start.read(JOB_ID, olds);
      if (method === "update") await t.start.update(JOB_ID, olds, news);
      assert.deepStrictEqual(openAttempts(t.journal), []);
    });
  }

  it("diff works at preview without credentials (no session yet)", async () => {
    const t = setup();
    const noSession = createLifecycles(
      serverlessSpec,
      () => {
        throw new Error("missing credentials");
      },
      t.clock,
    );
    const news = await checked(noSession.start, automated);
    const olds = { ...news, restoreJobId: JOB_ID, status: "COMPLETED", snapshotSource: "input" };
    assert.strictEqual((await noSession.start.diff(JOB_ID, olds, news)).changes, false);
  });

  it("the starter records its inputs and the job's id and decisions; the waiter alone the rest", async () => {
    const t = setup();
    const inputs = await checked(t.start, automated);
    const started = await t.start.create(inputs);
    // Every field the wait starts from is named, null when absent: the SDK takes a missing one as
    // unknown at preview.
    const kept = ["restoreJobId", "api", "snapshotId", "snapshotSource", "forecast"];
    const expected = new Set([...Object.keys(inputs), ...kept]);
    expected.delete("__provider"); // the SDK adds it to outputs
    assert.deepStrictEqual(Object.keys(started.outs).sort(), [...expected].sort());
    const again = { ...started.outs, __provider: PROVIDER };
    // What Atlas reports besides (here from a refresh, or version 0.1's single resource) is shed.
    const refreshed = await t.start.read(JOB_ID, again);
    assert.deepStrictEqual(Object.keys(refreshed.props!).sort(), Object.keys(again).sort());
    assert.strictEqual(refreshed.props!.snapshotId, SNAPSHOT);
    const fromOldState = { ...again, cancelled: false, failed: false, timestamp: "2026-11-28T11:00:00Z" };
    const updated = await t.start.update(JOB_ID, fromOldState, inputs);
    assert.deepStrictEqual(Object.keys(updated.outs!).sort(), Object.keys(again).sort());
    const waited = await t.wait({ ...automated, job: jobOf(started.outs) });
    assert.strictEqual(waited.outs.finishedAt, "2026-11-28T12:05:00Z");
  });

  it("a second up changes nothing: same job, same settings", async () => {
    const t = setup();
    const created = await t.both.create(await checked(t.start, automated));
    const olds = { ...created.outs, __provider: PROVIDER };
    const diff = await t.start.diff(JOB_ID, olds, await checked(t.start, automated));
    assert.deepStrictEqual(diff, { changes: false, deleteBeforeReplace: false });
  });

  it("a wait setting changes nothing in state; triggers replace the starter", async () => {
    const t = setup();
    const created = await t.both.create(await checked(t.start, automated));
    const olds = { ...created.outs, __provider: PROVIDER };
    const slower = { ...automated, waitTimeoutSeconds: 60 };
    assert.strictEqual((await t.start.diff(JOB_ID, olds, await checked(t.start, slower))).changes, false);
    const triggered = await t.start.diff(
      JOB_ID,
      olds,
      await checked(t.start, { ...automated, triggers: ["2"] }),
    );
    assert.deepStrictEqual(triggered.replaces, ["triggers"]);
  });

  it("progress lines name the resource, not only the job", async () => {
    const get = sinon
      .stub()
      .onCall(0)
      .resolves(jobFixture({ id: JOB_ID }))
      .onCall(1)
      .resolves(done);
    const t = setup({ getServerlessRestoreJob: get });
    await t.both.create(await checked(t.start, automated));
    assert.ok(t.messages.includes(`info: orders-into-staging: serverless restore job started: ${JOB_ID}`));
    assert.ok(
      t.messages.includes(
        `info: orders-into-staging: serverless restore job ${JOB_ID}: COMPLETED, 1s elapsed`,
      ),
      t.messages.join("\n"),
    );
  });

  describe("defects (issue 11, item 5)", () => {
    it("a download that completed and later expired fails no later up", async () => {
      const expired = jobFixture({ id: JOB_ID, deliveryType: "download", expired: true, finishedAt: "x" });
      const t = setup({ getServerlessRestoreJob: sinon.fake.resolves(expired) });
      const download = { groupId: GROUP, clusterName: "prod-orders", deliveryType: "download" };
      const job = { restoreJobId: JOB_ID, api: "serverless" };
      const result = await t.wait({ ...download, job });
      assert.strictEqual(result.outs.status, "EXPIRED");
    });

    it("a job that ends badly fails the wait", async () => {
      const t = setup({
        getServerlessRestoreJob: sinon.fake.resolves(jobFixture({ id: JOB_ID, failed: true })),
      });
      const job = { restoreJobId: JOB_ID, api: "serverless" };
      assert.match((await t.wait({ ...automated, job })).failure ?? "", /restore job ended FAILED/);
    });

    it("the target wait goes on through passing errors and an answer without stateName", async () => {
      const instance = sinon
        .stub()
        .onCall(0)
        .rejects(new AtlasApiError({ status: 503, method: "GET", path: "/api/x" }))
        .onCall(1)
        .resolves({ name: "staging-orders" })
        .onCall(2)
        .resolves({ name: "staging-orders", stateName: "IDLE" });
      const t = setup({ getServerlessInstance: instance });
      const created = await t.both.create(await checked(t.start, automated));
      assert.strictEqual(created.outs.targetReady, true);
      sinon.assert.calledThrice(instance);
    });

    it("a job that ends during the wait: the wait, not the record's create, waits for its target", async () => {
      const running = jobFixture({ id: JOB_ID, snapshotId: SNAPSHOT, targetGroupId: GROUP });
      const read = sinon.stub();
      read.onCall(0).resolves(running);
      read.resolves(done);
      const instance = sinon.stub().resolves({ name: "staging-orders", stateName: "IDLE" });
      const t = setup({ getServerlessRestoreJob: read, getServerlessInstance: instance });
      const started = await t.start.create(await checked(t.start, automated));
      const outcome = await t.wait({ ...automated, job: jobOf(started.outs) });
      assert.deepStrictEqual([outcome.outs.status, outcome.targetReady], ["COMPLETED", true]);
      sinon.assert.calledOnce(instance);
    });

    it("a job found ended leaves its target to the record (once per job)", async () => {
      const instance = sinon.stub().resolves({ name: "staging-orders", stateName: "IDLE" });
      const t = setup({ getServerlessInstance: instance });
      const outcome = await t.wait({ ...automated, job: { restoreJobId: JOB_ID, api: "serverless" } });
      assert.deepStrictEqual([outcome.outs.status, outcome.targetReady], ["COMPLETED", undefined]);
      sinon.assert.notCalled(instance);
    });

    it("a target that never reports stateName is not ready", async () => {
      const t = setup({ getServerlessInstance: sinon.fake.resolves({ name: "staging-orders" }) });
      await assert.rejects(t.both.create(await checked(t.start, { ...automated, waitTimeoutSeconds: 30 })), {
        message: /restore target still without stateName after 30 s: staging-orders/,
      });
    });

    it("a 404 about a misspelled target does not switch to the Flex API", async () => {
      const t = setup({
        createServerlessRestoreJob: sinon.fake.rejects(notFound("SERVERLESS_INSTANCE_NOT_FOUND")),
        getServerlessInstance: sinon.fake.resolves({ name: "prod-orders", stateName: "IDLE" }),
        getFlexCluster: sinon.fake.resolves({ name: "prod-orders", stateName: "IDLE" }),
      });
      await assert.rejects(
        t.start.create(await checked(t.start, { ...automated, targetClusterName: "staging-ordrs" })),
        { status: 404, errorCode: "SERVERLESS_INSTANCE_NOT_FOUND" },
      );
      assert.ok(!t.messages.some((m) => /Flex API/.test(m)), t.messages.join("\n"));
    });

    it("a 404 about the source, confirmed, switches and says a Flex job started", async () => {
      const t = setup({
        createServerlessRestoreJob: sinon.fake.rejects(notFound("SERVERLESS_INSTANCE_NOT_FOUND")),
        getServerlessInstance: sinon.fake.rejects(notFound("SERVERLESS_INSTANCE_NOT_FOUND")),
        getFlexCluster: sinon.fake.resolves({ name: "prod-orders", stateName: "IDLE" }),
        listFlexRestoreJobs: sinon.fake.resolves([]),
        createFlexRestoreJob: sinon.fake.resolves({ id: JOB_ID, status: "PENDING", deliveryType: "RESTORE" }),
      });
      const started = await t.start.create(await checked(t.start, automated));
      assert.strictEqual(started.outs.api, "flex");
      assert.ok(
        t.messages.includes(
          `info: orders-into-staging: flex restore job started in place of a serverless restore job: ${JOB_ID}`,
        ),
        t.messages.join("\n"),
      );
      assert.ok(!t.messages.some((m) => m.includes("serverless restore job started")));
    });

    it("an adopted job is reported as adopted, never as started", async () => {
      const running = jobFixture({ id: JOB_ID, snapshotId: SNAPSHOT, targetGroupId: GROUP });
      const t = setup({ getServerlessRestoreJob: sinon.fake.resolves(running) });
      await t.start.create(await checked(t.start, { ...automated, existingRestoreJobId: JOB_ID }));
      assert.ok(t.messages.some((m) => m.includes(`serverless restore job adopted (RUNNING): ${JOB_ID}`)));
      assert.ok(!t.messages.some((m) => m.includes("started")), t.messages.join("\n"));
    });

    it("when Atlas no longer has the job, the hint says what works: refresh", async () => {
      const t = setup({ getServerlessRestoreJob: sinon.fake.rejects(notFound("RESTORE_JOB_NOT_FOUND")) });
      const job = { restoreJobId: JOB_ID, api: "serverless" };
      const { failure } = await t.wait({ ...automated, job });
      assert.match(failure ?? "", /run `pulumi refresh` to drop it from state/);
      assert.doesNotMatch(failure ?? "", /resume waiting/);
    });
  });
});
