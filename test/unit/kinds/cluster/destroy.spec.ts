import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../../provider/atlas/client";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import { cancellableRestore } from "../../../../provider/kinds/cluster/destroy";
import { RestoreJobNotCancelledError } from "../../../../provider/kinds/cluster/errors";
import { clusterSpec } from "../../../../provider/kinds/cluster/spec";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import { asTheEngineRunsIt } from "../../../helpers/engine";
import { clusterJobFixture, fakeAtlasClient, fakeSession } from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";

/** What state holds for a running download job. */
const props = (overrides: Record<string, unknown> = {}) => ({
  groupId: GROUP,
  clusterName: "prod-orders",
  deliveryType: "download",
  onDestroy: "cancel",
  waitForCompletion: true,
  waitTimeoutSeconds: 600,
  waitForTarget: true,
  restoreJobId: JOB,
  status: "RUNNING",
  __provider: "provider",
  ...overrides,
});

function setup(methods: Partial<Record<keyof AtlasClient, sinon.SinonStub>>) {
  const { session, clock, messages } = fakeSession(fakeAtlasClient(methods as Partial<AtlasClient>));
  const lifecycle = asTheEngineRunsIt(
    cancellableRestore(
      createLifecycles(clusterSpec, () => session, clock),
      () => session,
    ),
  );
  return { lifecycle, messages };
}

const running = clusterJobFixture({ id: JOB, deliveryType: "download" });
const cancelled = clusterJobFixture({ id: JOB, deliveryType: "download", cancelled: true });
const shardedRefusal = new AtlasApiError({
  status: 405,
  errorCode: "ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED",
  method: "DELETE",
  path: "/x",
});

describe("cluster restore job destroy", () => {
  afterEach(() => sinon.restore());

  it("onDestroy forget (the default) sends no cancel", async () => {
    const get = sinon.stub().resolves(running);
    const cancel = sinon.stub().resolves();
    const { lifecycle, messages } = setup({ getClusterRestoreJob: get, cancelClusterRestoreJob: cancel });
    await lifecycle.delete(JOB, props({ onDestroy: "forget" }));
    sinon.assert.notCalled(cancel);
    sinon.assert.notCalled(get);
    assert.ok(
      messages.some((m) => m.includes("forgotten; Atlas keeps its record")),
      messages.join("\n"),
    );
  });

  it("cancels a running job, then waits until it reports cancelled", async () => {
    const get = sinon.stub();
    get.onCall(0).resolves(running).onCall(1).resolves(running).onCall(2).resolves(cancelled);
    const cancel = sinon.stub().resolves();
    const { lifecycle, messages } = setup({ getClusterRestoreJob: get, cancelClusterRestoreJob: cancel });
    await lifecycle.delete(JOB, props());
    sinon.assert.calledOnceWithExactly(cancel, GROUP, "prod-orders", JOB);
    assert.ok(cancel.calledAfter(get));
    sinon.assert.callCount(get, 3);
    assert.deepStrictEqual(messages, [`info: restore job cancelled: ${JOB}`]);
  });

  for (const deliveryType of ["automated", "pointInTime"] as const) {
    it(`never cancels a ${deliveryType} restore: a warning, the job forgotten, no request`, async () => {
      const cancel = sinon.stub().resolves();
      const get = sinon.stub().resolves(clusterJobFixture({ id: JOB, deliveryType }));
      const { lifecycle, messages } = setup({ getClusterRestoreJob: get, cancelClusterRestoreJob: cancel });
      await lifecycle.delete(
        JOB,
        props({ deliveryType, targetClusterName: "staging-orders", targetGroupId: GROUP }),
      );
      sinon.assert.notCalled(cancel);
      sinon.assert.notCalled(get);
      assert.deepStrictEqual(messages, [
        `warn: onDestroy is cancel, but Atlas cancels download restores only; forgetting the job instead: ${JOB}`,
        `info: cluster restore job forgotten; Atlas keeps its record, and a job still running goes on: ${JOB}`,
      ]);
    });
  }

  it("a 405 (sharded cluster) is a clear message, not a failure", async () => {
    const get = sinon.stub().resolves(running);
    const cancel = sinon.stub().rejects(shardedRefusal);
    const { lifecycle, messages } = setup({ getClusterRestoreJob: get, cancelClusterRestoreJob: cancel });
    await lifecycle.delete(JOB, props());
    assert.deepStrictEqual(messages, [
      "warn: Atlas does not cancel this restore (405 ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED, as " +
        `for sharded clusters); it keeps running in Atlas and this stack no longer tracks it: ${JOB}`,
    ]);
  });

  it("a job that already ended is not cancelled", async () => {
    const done = clusterJobFixture({ id: JOB, finishedAt: "2026-11-28T12:00:00Z" });
    const cancel = sinon.stub().resolves();
    const { lifecycle, messages } = setup({
      getClusterRestoreJob: sinon.stub().resolves(done),
      cancelClusterRestoreJob: cancel,
    });
    await lifecycle.delete(JOB, props({ status: "COMPLETED" }));
    sinon.assert.notCalled(cancel);
    assert.deepStrictEqual(messages, [
      `info: restore job already ended COMPLETED; nothing to cancel, forgotten: ${JOB}`,
    ]);
  });

  it("a job that ends between the read and the cancel is reported as ended", async () => {
    const get = sinon.stub();
    get
      .onCall(0)
      .resolves(running)
      .onCall(1)
      .resolves(clusterJobFixture({ id: JOB, failed: true }));
    const refused = new AtlasApiError({
      status: 400,
      errorCode: "VALIDATION_ERROR",
      method: "DELETE",
      path: "/x",
    });
    const { lifecycle, messages } = setup({
      getClusterRestoreJob: get,
      cancelClusterRestoreJob: sinon.stub().rejects(refused),
    });
    await lifecycle.delete(JOB, props());
    assert.deepStrictEqual(messages, [
      `info: restore job already ended FAILED; nothing to cancel, forgotten: ${JOB}`,
    ]);
  });

  it("a job Atlas no longer has is simply forgotten", async () => {
    const gone = new AtlasApiError({ status: 404, method: "GET", path: "/x" });
    const cancel = sinon.stub().resolves();
    const { lifecycle, messages } = setup({
      getClusterRestoreJob: sinon.stub().rejects(gone),
      cancelClusterRestoreJob: cancel,
    });
    await lifecycle.delete(JOB, props());
    sinon.assert.notCalled(cancel);
    assert.deepStrictEqual(messages, [`info: restore job no longer exists in Atlas; forgotten: ${JOB}`]);
  });

  it("a job that never reports cancelled fails the destroy, naming the job", async () => {
    const { lifecycle } = setup({
      getClusterRestoreJob: sinon.stub().resolves(running),
      cancelClusterRestoreJob: sinon.stub().resolves(),
    });
    await assert.rejects(lifecycle.delete(JOB, props({ waitTimeoutSeconds: 60 })), (error: unknown) => {
      assert.ok(error instanceof RestoreJobNotCancelledError);
      assert.match(error.message, new RegExp(`run the destroy again: ${JOB}$`));
      return true;
    });
  });

  it("a server error on cancel fails the destroy, so that it can be run again", async () => {
    const { lifecycle } = setup({
      getClusterRestoreJob: sinon.stub().resolves(running),
      cancelClusterRestoreJob: sinon
        .stub()
        .rejects(new AtlasApiError({ status: 500, method: "DELETE", path: "/x" })),
    });
    await assert.rejects(lifecycle.delete(JOB, props()), { name: "AtlasApiError" });
  });
});
