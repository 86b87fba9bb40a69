import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../provider/atlas/client";
import { AtlasApiError } from "../../../provider/atlas/errors";
import { detectSourceKind } from "../../../provider/detection/source-kind";
import { detectingSpec, kindOf, noCancelFor } from "../../../provider/detection/spec";
import { cancellableRestore } from "../../../provider/kinds/cluster/destroy";
import { createLifecycles } from "../../../provider/restore/lifecycle";
import { asTheEngineRunsIt } from "../../helpers/engine";
import {
  clusterJobFixture,
  clusterSnapshotFixture,
  fakeAtlasClient,
  fakeClock,
  fakeSession,
  jobFixture,
} from "../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const SNAP = "bbbbbbbbbbbbbbbbbbbbbbbb";
const PROVIDER = "provider";

const apiError = (status: number, errorCode?: string, method = "GET") =>
  new AtlasApiError({ status, method, path: "/x", ...(errorCode ? { errorCode } : {}) });
const FLEX_REFUSAL = apiError(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");

type Stubs = Partial<Record<keyof AtlasClient, sinon.SinonStub>>;

function setup(methods: Stubs) {
  const { session, clock, messages } = fakeSession(fakeAtlasClient(methods as Partial<AtlasClient>));
  const lifecycle = asTheEngineRunsIt(
    cancellableRestore(
      createLifecycles(detectingSpec, () => session, clock),
      () => session,
      noCancelFor,
    ),
  );
  const checked = async (raw: Record<string, unknown>) => {
    const result = await lifecycle.check!({}, { ...raw, __provider: PROVIDER });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  return { lifecycle, checked, messages };
}

const automated = {
  groupId: GROUP,
  clusterName: "orders",
  deliveryType: "automated",
  targetClusterName: "stage",
};

/** A Flex cluster, as each API sees it: refused by the clusters API, unknown to the serverless one. */
function flexSource(): Stubs {
  return {
    getCluster: sinon.stub().rejects(FLEX_REFUSAL),
    listServerlessSnapshots: sinon.stub().rejects(apiError(404, "SERVERLESS_INSTANCE_NOT_FOUND")),
    getServerlessInstance: sinon.stub().rejects(apiError(404, "SERVERLESS_INSTANCE_NOT_FOUND")),
    getFlexCluster: sinon.stub().resolves({ name: "stage", stateName: "IDLE" }),
    listFlexSnapshots: sinon
      .stub()
      .resolves([{ id: SNAP, status: "COMPLETED", finishTime: "2026-11-28T00:00:00Z" }]),
    listFlexRestoreJobs: sinon.stub().resolves([]),
    createFlexRestoreJob: sinon.stub().resolves({ id: JOB, status: "QUEUED", snapshotId: SNAP }),
    getFlexRestoreJob: sinon.stub().resolves({ id: JOB, status: "COMPLETED", snapshotId: SNAP }),
  };
}

describe("kind detection", () => {
  afterEach(() => sinon.restore());

  describe("detectSourceKind", () => {
    const cases: [string, () => sinon.SinonStub, string][] = [
      ["a dedicated cluster", () => sinon.stub().resolves({ name: "orders", stateName: "IDLE" }), "cluster"],
      ["a Flex cluster's 400", () => sinon.stub().rejects(FLEX_REFUSAL), "flex"],
      [
        "a name the clusters API does not know",
        () => sinon.stub().rejects(apiError(404, "CLUSTER_NOT_FOUND")),
        "serverless",
      ],
    ];
    for (const [title, stub, kind] of cases) {
      it(`${title}: ${kind}`, async () => {
        const client = fakeAtlasClient({ getCluster: stub() } as Partial<AtlasClient>);
        assert.strictEqual(await detectSourceKind(client, GROUP, "orders"), kind);
      });
    }

    it("any other refusal is Atlas's error, not a guess", async () => {
      const client = fakeAtlasClient({
        getCluster: sinon.stub().rejects(apiError(401)),
      } as Partial<AtlasClient>);
      await assert.rejects(detectSourceKind(client, GROUP, "orders"), { status: 401 });
    });
  });

  it("the kind is read back from `kind`, or from the `api` that owns the job when only that is at hand", () => {
    assert.strictEqual(kindOf({ kind: "cluster", api: "cluster" }), "cluster");
    assert.strictEqual(kindOf({ api: "cluster" }), "cluster");
    assert.strictEqual(kindOf({ api: "flex" }), "flex");
    assert.strictEqual(kindOf({ api: "serverless" }), "serverless");
    assert.strictEqual(kindOf({}), "serverless");
  });

  it("a dedicated cluster is restored through the clusters API and recorded as kind cluster", async () => {
    const methods: Stubs = {
      getCluster: sinon.stub().resolves({ name: "orders", stateName: "IDLE" }),
      listClusterSnapshots: sinon.stub().resolves([clusterSnapshotFixture({ id: SNAP })]),
      listClusterRestoreJobs: sinon.stub().resolves([]),
      createClusterRestoreJob: sinon.stub().resolves(clusterJobFixture({ id: JOB, snapshotId: SNAP })),
      getClusterRestoreJob: sinon
        .stub()
        .resolves(clusterJobFixture({ id: JOB, finishedAt: "2026-11-28T12:00:00Z" })),
    };
    const { lifecycle, checked, messages } = setup(methods);
    const result = await lifecycle.create(await checked(automated));
    assert.strictEqual(result.outs.kind, "cluster");
    assert.strictEqual(result.outs.status, "COMPLETED");
    sinon.assert.calledOnce(methods.createClusterRestoreJob!);
    assert.ok(messages.includes("info: source is a dedicated cluster: orders"));
  });

  it("a Flex cluster is restored through the Flex API and recorded as kind flex", async () => {
    const methods = flexSource();
    const { lifecycle, checked } = setup(methods);
    const result = await lifecycle.create(await checked(automated));
    assert.strictEqual(result.outs.kind, "flex");
    assert.strictEqual(result.outs.api, "flex");
    sinon.assert.calledOnceWithExactly(methods.createFlexRestoreJob!, GROUP, "orders", {
      snapshotId: SNAP,
      targetDeploymentItemName: "stage",
      targetProjectId: GROUP,
    });
    // Refresh keeps using the Flex API.
    const read = await lifecycle.read(JOB, { ...result.outs, __provider: PROVIDER });
    assert.strictEqual(read.props!.kind, "flex");
    sinon.assert.calledTwice(methods.getFlexRestoreJob!);
  });

  it("refuses a point in time on a Flex cluster before starting anything", async () => {
    const methods = flexSource();
    const { lifecycle, checked } = setup(methods);
    const moment = Math.floor(fakeClock().now() / 1000) - 60;
    await assert.rejects(
      lifecycle.create(
        await checked({ ...automated, deliveryType: "pointInTime", pointInTimeUTCSeconds: moment }),
      ),
      { message: "pointInTime restores are not available for Flex clusters: orders" },
    );
    sinon.assert.notCalled(methods.createFlexRestoreJob!);
  });

  it("refuses a fresh snapshot on a Flex cluster before starting anything", async () => {
    const methods = flexSource();
    const { lifecycle, checked } = setup(methods);
    await assert.rejects(lifecycle.create(await checked({ ...automated, takeSnapshot: {} })), {
      message: "on-demand snapshots (takeSnapshot) are not available for Flex clusters: orders",
    });
    sinon.assert.notCalled(methods.createFlexRestoreJob!);
  });

  it("a migrated serverless instance (serverless API gone) ends up as kind flex", async () => {
    const methods: Stubs = {
      ...flexSource(),
      getCluster: sinon.stub().rejects(apiError(404, "CLUSTER_NOT_FOUND")),
      listServerlessSnapshots: sinon.stub().rejects(apiError(410, "VERSION_GONE")),
    };
    const { lifecycle, checked, messages } = setup(methods);
    const result = await lifecycle.create(await checked(automated));
    assert.strictEqual(result.outs.kind, "flex");
    assert.ok(messages.some((m) => m.includes("restoring through the Flex API instead")));
  });

  it("a serverless instance is restored through the serverless API; a download names no target", async () => {
    const methods: Stubs = {
      getCluster: sinon.stub().rejects(apiError(404, "CLUSTER_NOT_FOUND")),
      listServerlessSnapshots: sinon
        .stub()
        .resolves([{ id: SNAP, status: "completed", createdAt: "2026-11-28T00:00:00Z" }]),
      listServerlessRestoreJobs: sinon.stub().resolves([]),
      createServerlessRestoreJob: sinon.stub().resolves(jobFixture({ id: JOB, deliveryType: "download" })),
      getServerlessRestoreJob: sinon
        .stub()
        .resolves(jobFixture({ id: JOB, deliveryType: "download", deliveryUrl: ["https://x.test/secret"] })),
    };
    const { lifecycle, checked } = setup(methods);
    const inputs = await checked({ groupId: GROUP, clusterName: "orders", deliveryType: "download" });
    const result = await lifecycle.create(inputs);
    assert.strictEqual(result.outs.kind, "serverless");
    assert.strictEqual(result.outs.api, "serverless");
    assert.strictEqual(result.outs.targetClusterName, undefined);
    assert.strictEqual(methods.createServerlessRestoreJob!.firstCall.args[2].targetClusterName, "orders");
    // The engine gives the waiter its starter's job with the inputs.
    const job = { restoreJobId: JOB, api: "serverless", snapshotId: SNAP, snapshotSource: "latest" };
    const again = await lifecycle.diff(JOB, { ...result.outs, __provider: PROVIDER }, { ...inputs, job });
    assert.strictEqual(again.replaces, undefined, "a second `up` restores nothing");
  });

  it("onDestroy cancel on a Flex job warns and only forgets", async () => {
    const methods = flexSource();
    const { lifecycle, messages } = setup(methods);
    const props = {
      ...automated,
      targetGroupId: GROUP,
      onDestroy: "cancel",
      waitForCompletion: true,
      waitTimeoutSeconds: 600,
      waitForTarget: true,
      kind: "flex",
      api: "flex",
      status: "COMPLETED",
      __provider: PROVIDER,
    };
    await lifecycle.delete(JOB, props);
    assert.ok(
      messages.includes(
        `warn: onDestroy is cancel, but Atlas has no cancel for Flex restore jobs; forgetting the job instead: ${JOB}`,
      ),
    );
  });
});
