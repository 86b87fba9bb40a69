import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../../provider/atlas/client";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import type { RestoreLifecycles } from "../../../../provider/restore/types";
import { serverlessHarness } from "../../../helpers/engine";
import { fakeAtlasClient } from "../../../helpers/fakes";

/**
 * A serverless job recorded before the 2026-01-22 sunset (issue 22, item 1): once the serverless API no
 * longer serves its instance, reading it must neither drop it from state (the next `up` would restore
 * into the same target again) nor fail every `up` and `refresh` for good.
 */

const GROUP = "0123456789abcdef01234567";
const JOB_ID = "65a1b2c3d4e5f6a7b8c9d0e1";
const PROVIDER = "exports.handler = __f0;";
const recorded = {
  groupId: GROUP,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
  targetGroupId: GROUP,
  apiFallback: "flex",
  waitForCompletion: true,
  waitTimeoutSeconds: 600,
  waitForTarget: true,
  restoreJobId: JOB_ID,
  status: "RUNNING",
  api: "serverless",
  snapshotId: "bbbbbbbbbbbbbbbbbbbbbbbb",
  snapshotSource: "latest",
  resourceName: "orders",
  __provider: PROVIDER,
};
const answer = (status: number, errorCode: string) =>
  new AtlasApiError({ status, method: "GET", path: "/api/x", errorCode });
const migrated = () => answer(404, "SERVERLESS_INSTANCE_NOT_FOUND");
const gone = () => answer(410, "VERSION_GONE");

function harness(methods: Partial<AtlasClient>) {
  return serverlessHarness(fakeAtlasClient(methods));
}

/** The program's wait for the recorded job, as the resource layer runs it. */
function waitFor(restore: RestoreLifecycles) {
  const job = {
    restoreJobId: JOB_ID,
    api: "serverless",
    snapshotId: recorded.snapshotId,
    snapshotSource: "latest",
  };
  const { restoreJobId: _id, status: _s, api: _a, snapshotSource: _c, __provider: _p, ...inputs } = recorded;
  return restore.wait({ ...inputs, job });
}

describe("serverless restore job after the sunset (issue 22, item 1)", () => {
  afterEach(() => sinon.restore());

  for (const [mode, refusal] of [
    ["migrated (404)", migrated],
    ["gone (410)", gone],
  ] as const) {
    it(`${mode}: refresh keeps the job, as ended, and says why, naming it`, async () => {
      const t = harness({
        getServerlessRestoreJob: sinon.fake.rejects(refusal()),
        getServerlessInstance: sinon.fake.rejects(migrated()),
        getFlexCluster: sinon.fake.resolves({ name: "prod-orders", stateName: "IDLE" }),
        getFlexRestoreJob: sinon.fake.rejects(answer(404, "RESOURCE_NOT_FOUND")),
      });
      const read = await t.lifecycles.start.read(JOB_ID, recorded);
      assert.strictEqual(read.id, JOB_ID);
      assert.strictEqual(read.props!.status, "COMPLETED");
      assert.ok(
        t.messages.some((m) =>
          /no longer serves this job .* not started again: 65a1b2c3d4e5f6a7b8c9d0e1$/.test(m),
        ),
        t.messages.join("\n"),
      );
    });

    it(`${mode}: the wait ends, its target the Flex cluster the instance became`, async () => {
      const t = harness({
        getServerlessRestoreJob: sinon.fake.rejects(refusal()),
        getServerlessInstance: sinon.fake.rejects(refusal()),
        getFlexCluster: sinon.fake.resolves({ name: "x", stateName: "IDLE" }),
        getFlexRestoreJob: sinon.fake.rejects(answer(404, "RESOURCE_NOT_FOUND")),
      });
      const outcome = await waitFor(t.lifecycles);
      assert.strictEqual(outcome.failure, undefined);
      assert.strictEqual(outcome.outs.status, "COMPLETED");
      assert.deepStrictEqual(outcome.target, {
        api: "flex",
        groupId: GROUP,
        name: "staging-orders",
        waitSeconds: 600,
      });
    });
  }

  it("reads the job through the Flex API when Atlas kept it there", async () => {
    const t = harness({
      getServerlessRestoreJob: sinon.fake.rejects(migrated()),
      getServerlessInstance: sinon.fake.rejects(migrated()),
      getFlexCluster: sinon.fake.resolves({ name: "prod-orders", stateName: "IDLE" }),
      getFlexRestoreJob: sinon.fake.resolves({ id: JOB_ID, status: "COMPLETED", deliveryType: "RESTORE" }),
    });
    const read = await t.lifecycles.start.read(JOB_ID, recorded);
    assert.strictEqual(read.props!.api, "flex");
    assert.strictEqual(read.props!.status, "COMPLETED");
  });

  it("a 404 that is not the sunset (the instance still exists) still drops a job Atlas no longer has", async () => {
    const t = harness({
      getServerlessRestoreJob: sinon.fake.rejects(answer(404, "RESTORE_JOB_NOT_FOUND")),
    });
    assert.deepStrictEqual(await t.lifecycles.start.read(JOB_ID, recorded), {});
  });

  it("with apiFallback none, the serverless API's answer stands", async () => {
    const t = harness({ getServerlessRestoreJob: sinon.fake.rejects(migrated()) });
    assert.deepStrictEqual(await t.lifecycles.start.read(JOB_ID, { ...recorded, apiFallback: "none" }), {});
  });
});
