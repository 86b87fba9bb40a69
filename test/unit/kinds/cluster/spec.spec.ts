import assert from "node:assert";

import sinon from "sinon";

import type { AtlasClient } from "../../../../provider/atlas/client";
import { AtlasApiError } from "../../../../provider/atlas/errors";
import { SnapshotNotCompletedError } from "../../../../provider/kinds/cluster/errors";
import { snapshotIntentKey } from "../../../../provider/kinds/cluster/fresh-snapshot";
import type { ClusterRestoreJobInputs } from "../../../../provider/kinds/cluster/inputs";
import { clusterSpec } from "../../../../provider/kinds/cluster/spec";
import { RestoreJobIncompleteError } from "../../../../provider/restore/errors";
import { createLifecycles } from "../../../../provider/restore/lifecycle";
import { asTheEngineRunsIt } from "../../../helpers/engine";
import {
  clusterJobFixture,
  clusterSnapshotFixture,
  fakeAtlasClient,
  fakeSession,
  openAttempts,
} from "../../../helpers/fakes";

const GROUP = "0123456789abcdef01234567";
const STAGING = "76543210fedcba9876543210";
const JOB = "65a1b2c3d4e5f6a7b8c9d0e2";
const OLD = "aaaaaaaaaaaaaaaaaaaaaaaa";
const NEWEST = "bbbbbbbbbbbbbbbbbbbbbbbb";
const FRESH = "dddddddddddddddddddddddd";
const PROVIDER = "exports.handler = __f0;";
const URL = "https://restore-65a1b2c3d4e5f6a7b8c9d0e2.example.test/secret-token.tar.gz";

type Stubs = { [K in keyof AtlasClient]: sinon.SinonStub };

function stubs(overrides: Partial<Stubs> = {}): Stubs {
  const finished = clusterJobFixture({ id: JOB, snapshotId: NEWEST, finishedAt: "2026-11-28T12:05:00Z" });
  return {
    listClusterSnapshots: sinon.stub().resolves([
      clusterSnapshotFixture({ id: OLD, createdAt: "2026-11-27T00:00:00Z" }),
      clusterSnapshotFixture({ id: NEWEST, createdAt: "2026-11-28T00:00:00Z" }),
      clusterSnapshotFixture({
        id: "cccccccccccccccccccccccc",
        createdAt: "2026-11-28T06:00:00Z",
        status: "inProgress",
      }),
    ]),
    listClusterRestoreJobs: sinon.stub().resolves([]),
    createClusterRestoreJob: sinon.stub().resolves(clusterJobFixture({ id: JOB, snapshotId: NEWEST })),
    getClusterRestoreJob: sinon.stub().resolves(finished),
    getCluster: sinon.stub().resolves({ name: "staging-orders", stateName: "IDLE" }),
    ...overrides,
  } as Stubs;
}

function setup(methods: Partial<Stubs> = stubs()) {
  const { session, clock, messages, journal } = fakeSession(fakeAtlasClient(methods as Partial<AtlasClient>));
  const lifecycle = asTheEngineRunsIt(createLifecycles(clusterSpec, () => session, clock));
  const checked = async (raw: Record<string, unknown>) => {
    const result = await lifecycle.check!({}, { ...raw, __provider: PROVIDER });
    assert.deepStrictEqual(result.failures, []);
    return result.inputs!;
  };
  return { lifecycle, methods: methods as Stubs, clock, messages, journal, checked };
}

const automated = {
  groupId: GROUP,
  clusterName: "prod-orders",
  deliveryType: "automated",
  targetClusterName: "staging-orders",
};
const download = { groupId: GROUP, clusterName: "prod-orders", deliveryType: "download" };

describe("cluster restore job", () => {
  afterEach(() => sinon.restore());

  describe("automated", () => {
    it("restores the newest completed snapshot, waits for the job and for the target's IDLE", async () => {
      const methods = stubs({
        getCluster: sinon
          .stub()
          .onCall(0)
          .resolves({ name: "staging-orders", stateName: "UPDATING" })
          .onCall(1)
          .resolves({ name: "staging-orders", stateName: "IDLE" }),
      });
      const { lifecycle, checked, messages } = setup(methods);
      const result = await lifecycle.create(await checked({ ...automated, targetGroupId: STAGING }));
      assert.strictEqual(result.id, JOB);
      sinon.assert.calledOnceWithExactly(methods.createClusterRestoreJob, GROUP, "prod-orders", {
        deliveryType: "automated",
        snapshotId: NEWEST,
        targetClusterName: "staging-orders",
        targetGroupId: STAGING,
      });
      sinon.assert.alwaysCalledWithExactly(methods.getCluster, STAGING, "staging-orders");
      assert.strictEqual(result.outs.status, "COMPLETED");
      assert.strictEqual(result.outs.kind, "cluster");
      assert.strictEqual(result.outs.snapshotSource, "latest");
      assert.strictEqual(result.outs.targetReady, true);
      assert.strictEqual(result.outs.finishedAt, "2026-11-28T12:05:00Z");
      assert.strictEqual(result.outs.desiredTimestamp, undefined, "a null timestamp is no timestamp");
      assert.ok(messages.includes("info: restore target is ready: staging-orders"));
    });

    it("warns when the target is the source (a rollback)", async () => {
      const { lifecycle, checked, messages } = setup();
      const result = await lifecycle.create(
        await checked({ ...automated, targetClusterName: "prod-orders" }),
      );
      assert.strictEqual(result.outs.targetIsSource, true);
      assert.ok(messages.some((m) => m.startsWith("warn: restoring into the source cluster itself")));
    });

    it("fails clearly when the source has no completed snapshot, before any restore", async () => {
      const methods = stubs({ listClusterSnapshots: sinon.stub().resolves([]) });
      const { lifecycle, checked } = setup(methods);
      await assert.rejects(lifecycle.create(await checked(automated)), {
        message: "no completed snapshot to restore from cluster: prod-orders",
      });
      sinon.assert.notCalled(methods.createClusterRestoreJob);
    });

    it("adopts the job a POST without a clear answer created, instead of restoring twice", async () => {
      const methods = stubs({
        createClusterRestoreJob: sinon
          .stub()
          .rejects(new AtlasApiError({ status: 502, method: "POST", path: "/x" })),
        listClusterRestoreJobs: sinon
          .stub()
          .onCall(0)
          .resolves([])
          .onCall(1)
          .resolves([clusterJobFixture({ id: JOB, snapshotId: NEWEST, targetGroupId: GROUP })]),
      });
      const { lifecycle, checked } = setup(methods);
      const result = await lifecycle.create(await checked(automated));
      assert.strictEqual(result.id, JOB);
      sinon.assert.calledOnce(methods.createClusterRestoreJob);
    });

    it("adopts an existing job by id without starting one", async () => {
      const { lifecycle, checked, methods } = setup();
      const result = await lifecycle.create(await checked({ ...automated, existingRestoreJobId: JOB }));
      assert.strictEqual(result.outs.snapshotSource, "job");
      sinon.assert.notCalled(methods.createClusterRestoreJob);
      sinon.assert.notCalled(methods.listClusterSnapshots);
    });
  });

  describe("point in time", () => {
    it("sends the moment and no snapshot, and lists none", async () => {
      const { lifecycle, checked, methods, clock } = setup();
      const moment = Math.floor(clock.now() / 1000) - 3600;
      const result = await lifecycle.create(
        await checked({ ...automated, deliveryType: "pointInTime", pointInTimeUTCSeconds: moment }),
      );
      sinon.assert.calledOnceWithExactly(methods.createClusterRestoreJob, GROUP, "prod-orders", {
        deliveryType: "pointInTime",
        targetClusterName: "staging-orders",
        targetGroupId: GROUP,
        pointInTimeUTCSeconds: moment,
      });
      sinon.assert.notCalled(methods.listClusterSnapshots);
      assert.strictEqual(result.outs.snapshotSource, "job");
      assert.strictEqual(result.outs.pointInTimeUTCSeconds, moment);
    });

    it("sends an oplog point as oplogTs with oplogInc", async () => {
      const { lifecycle, checked, methods, clock } = setup();
      const ts = Math.floor(clock.now() / 1000) - 600;
      await lifecycle.create(
        await checked({ ...automated, deliveryType: "pointInTime", oplogTs: ts, oplogInc: 4 }),
      );
      assert.deepStrictEqual(methods.createClusterRestoreJob.firstCall.args[2], {
        deliveryType: "pointInTime",
        targetClusterName: "staging-orders",
        targetGroupId: GROUP,
        oplogTs: ts,
        oplogInc: 4,
      });
    });
  });

  describe("download", () => {
    it("sends no target, is done once it has links, and waits for no target", async () => {
      const ready = clusterJobFixture({
        id: JOB,
        deliveryType: "download",
        targetClusterName: undefined,
        targetGroupId: undefined,
        deliveryUrl: [URL],
        expiresAt: "2026-11-28T13:00:00Z",
      });
      const methods = stubs({ getClusterRestoreJob: sinon.stub().resolves(ready) });
      const { lifecycle, checked } = setup(methods);
      const result = await lifecycle.create(await checked(download));
      assert.deepStrictEqual(methods.createClusterRestoreJob.firstCall.args[2], {
        deliveryType: "download",
        snapshotId: NEWEST,
      });
      assert.strictEqual(result.outs.status, "COMPLETED");
      assert.deepStrictEqual(result.outs.deliveryUrl, [URL]);
      sinon.assert.notCalled(methods.getCluster);
    });

    it("a sharded download records each component's links, and never in partial state", async () => {
      const component = (name: string, url?: string) => ({
        replicaSetName: name,
        ...(url ? { downloadUrl: `${URL}?${name}` } : {}),
        privateDownloadDeliveryUrls: url
          ? [{ endpointId: "vpce-0123456789abcdef0", deliveryUrl: `${URL}?private-${name}` }]
          : [],
      });
      const partial = clusterJobFixture({
        id: JOB,
        deliveryType: "download",
        components: [component("shard-0", "yes"), component("shard-1")],
        privateDownloadDeliveryUrls: [
          { endpointId: "vpce-0123456789abcdef0", deliveryUrl: `${URL}?private` },
        ],
      });
      const methods = stubs({ getClusterRestoreJob: sinon.stub().resolves(partial) });
      const { lifecycle, checked } = setup(methods);
      const error = await lifecycle
        .create(await checked({ ...download, waitTimeoutSeconds: 60 }))
        .catch((e: unknown) => e);
      assert.ok(error instanceof RestoreJobIncompleteError);
      assert.strictEqual(error.properties.status, "RUNNING");
      for (const key of ["deliveryUrl", "privateDownloadDeliveryUrls", "components"]) {
        assert.ok(!(key in error.properties), `${key} is not in partial state`);
      }
      assert.ok(!JSON.stringify(error.properties).includes(URL));
      assert.ok(!error.message.includes(URL));

      const complete = { ...partial, components: [component("shard-0", "yes"), component("shard-1", "yes")] };
      methods.getClusterRestoreJob.resolves(complete);
      const result = await lifecycle.create(await checked(download));
      assert.strictEqual(result.outs.status, "COMPLETED");
      assert.deepStrictEqual(result.outs.components, [
        {
          replicaSetName: "shard-0",
          downloadUrl: `${URL}?shard-0`,
          privateDownloadDeliveryUrls: [
            { endpointId: "vpce-0123456789abcdef0", deliveryUrl: `${URL}?private-shard-0` },
          ],
        },
        {
          replicaSetName: "shard-1",
          downloadUrl: `${URL}?shard-1`,
          privateDownloadDeliveryUrls: [
            { endpointId: "vpce-0123456789abcdef0", deliveryUrl: `${URL}?private-shard-1` },
          ],
        },
      ]);
      assert.deepStrictEqual(result.outs.privateDownloadDeliveryUrls, [
        { endpointId: "vpce-0123456789abcdef0", deliveryUrl: `${URL}?private` },
      ]);
    });
  });

  describe("from a fresh snapshot (takeSnapshot)", () => {
    const fresh = { ...automated, targetGroupId: STAGING, takeSnapshot: { retentionInDays: 2 } };
    const description = `pulumi-atlas-restore: for a restore into ${STAGING}/staging-orders`;
    const taken = (status: string) =>
      clusterSnapshotFixture({
        id: FRESH,
        status,
        snapshotType: "onDemand",
        description,
        createdAt: undefined,
      });

    function freshStubs(overrides: Partial<Stubs> = {}) {
      return stubs({
        takeClusterSnapshot: sinon.stub().resolves(taken("queued")),
        getClusterSnapshot: sinon
          .stub()
          .onCall(0)
          .resolves(taken("inProgress"))
          .onCall(1)
          .resolves(taken("completed")),
        createClusterRestoreJob: sinon
          .stub()
          .resolves(clusterJobFixture({ id: JOB, snapshotId: FRESH, targetGroupId: STAGING })),
        getClusterRestoreJob: sinon.stub().resolves(
          clusterJobFixture({
            id: JOB,
            snapshotId: FRESH,
            targetGroupId: STAGING,
            finishedAt: "2026-11-28T12:30:00Z",
          }),
        ),
        ...overrides,
      });
    }

    it("takes one snapshot, waits until completed, and restores exactly it", async () => {
      const methods = freshStubs();
      const { lifecycle, checked, journal, messages } = setup(methods);
      const inputs = await checked(fresh);
      const result = await lifecycle.create(inputs);
      sinon.assert.calledOnceWithExactly(methods.takeClusterSnapshot, GROUP, "prod-orders", {
        description,
        retentionInDays: 2,
      });
      sinon.assert.calledTwice(methods.getClusterSnapshot);
      sinon.assert.calledOnce(methods.createClusterRestoreJob);
      assert.strictEqual(methods.createClusterRestoreJob.firstCall.args[2].snapshotId, FRESH);
      assert.ok(methods.takeClusterSnapshot.calledBefore(methods.createClusterRestoreJob));
      assert.strictEqual(result.outs.snapshotId, FRESH);
      assert.strictEqual(result.outs.snapshotSource, "new");
      assert.deepStrictEqual(openAttempts(journal), [], "no attempt is open once state holds the job");
      assert.ok(messages.includes(`info: on-demand snapshot completed: ${FRESH}`));

      // A later `up` with the same inputs updates in place: no snapshot, no restore.
      // The engine gives the waiter its starter's job with the inputs.
      const job = { restoreJobId: JOB, api: "cluster", snapshotId: FRESH, snapshotSource: "new" };
      const news = { ...inputs, job };
      assert.strictEqual(
        (await lifecycle.diff(JOB, { ...result.outs, __provider: PROVIDER }, news)).replaces,
        undefined,
      );
      await lifecycle.update(JOB, { ...result.outs, __provider: PROVIDER }, news);
      const refreshed = await lifecycle.read(JOB, { ...result.outs, __provider: PROVIDER });
      assert.strictEqual(refreshed.props!.snapshotSource, "new");
      sinon.assert.calledOnce(methods.takeClusterSnapshot);
      sinon.assert.calledOnce(methods.createClusterRestoreJob);
    });

    it("uses the given description, and reads a sharded snapshot through its own operation", async () => {
      const own = clusterSnapshotFixture({
        id: FRESH,
        type: "shardedCluster",
        status: "queued",
        snapshotType: "onDemand",
      });
      const methods = freshStubs({
        takeClusterSnapshot: sinon.stub().resolves(own),
        getShardedClusterSnapshot: sinon.stub().resolves({ ...own, status: "completed" }),
      });
      const { lifecycle, checked } = setup(methods);
      await lifecycle.create(await checked({ ...fresh, takeSnapshot: { description: "nightly clone" } }));
      assert.deepStrictEqual(methods.takeClusterSnapshot.firstCall.args[2], { description: "nightly clone" });
      sinon.assert.calledOnceWithExactly(methods.getShardedClusterSnapshot, GROUP, "prod-orders", FRESH);
    });

    it("adopts the snapshot a POST without a clear answer took, instead of taking two", async () => {
      const methods = freshStubs({
        takeClusterSnapshot: sinon
          .stub()
          .rejects(new AtlasApiError({ method: "POST", path: "/x", networkCode: "ECONNRESET" })),
        listClusterSnapshots: sinon
          .stub()
          .onCall(0)
          .resolves([clusterSnapshotFixture({ id: OLD })])
          .onCall(1)
          .resolves([clusterSnapshotFixture({ id: OLD }), taken("queued")]),
      });
      const { lifecycle, checked, messages } = setup(methods);
      const result = await lifecycle.create(await checked(fresh));
      sinon.assert.calledOnce(methods.takeClusterSnapshot);
      assert.strictEqual(result.outs.snapshotId, FRESH);
      assert.ok(messages.some((m) => m.includes(`the job exists; adopting it: ${FRESH}`)));
    });

    it("waits for a matching snapshot already being taken rather than taking another", async () => {
      const methods = freshStubs({
        listClusterSnapshots: sinon
          .stub()
          .resolves([clusterSnapshotFixture({ id: OLD }), taken("inProgress")]),
      });
      const { lifecycle, checked } = setup(methods);
      const result = await lifecycle.create(await checked(fresh));
      sinon.assert.notCalled(methods.takeClusterSnapshot);
      assert.strictEqual(result.outs.snapshotId, FRESH);
    });

    it("a snapshot not completed in time fails with no restore, and the next run keeps waiting for it", async () => {
      const methods = freshStubs({ getClusterSnapshot: sinon.stub().resolves(taken("inProgress")) });
      const { lifecycle, checked, journal } = setup(methods);
      const inputs = await checked({ ...fresh, waitTimeoutSeconds: 120 });
      await assert.rejects(lifecycle.create(inputs), (error: unknown) => {
        assert.ok(error instanceof SnapshotNotCompletedError);
        assert.strictEqual(error.status, "inProgress");
        assert.match(
          error.message,
          new RegExp(`run \`pulumi up\` again to keep waiting for this snapshot: ${FRESH}$`),
        );
        return true;
      });
      sinon.assert.notCalled(methods.createClusterRestoreJob);
      const key = snapshotIntentKey(inputs as unknown as ClusterRestoreJobInputs);
      assert.strictEqual(journal.get(key)?.jobId, FRESH, "the journal remembers the snapshot taken");

      // Next run: the snapshot completed in the meantime and is no longer "running"; it is still adopted.
      methods.listClusterSnapshots.resolves([clusterSnapshotFixture({ id: OLD }), taken("completed")]);
      const result = await lifecycle.create(inputs);
      sinon.assert.calledOnce(methods.takeClusterSnapshot);
      assert.strictEqual(result.outs.snapshotId, FRESH);
      assert.strictEqual(journal.get(key), undefined);
    });

    it("a failed snapshot fails the step before any restore", async () => {
      const methods = freshStubs({ getClusterSnapshot: sinon.stub().resolves(taken("failed")) });
      const { lifecycle, checked, journal } = setup(methods);
      await assert.rejects(lifecycle.create(await checked(fresh)), {
        name: "SnapshotNotCompletedError",
        message: `on-demand snapshot failed; no restore was started; run \`pulumi up\` again to take another: ${FRESH}`,
      });
      sinon.assert.notCalled(methods.createClusterRestoreJob);
      assert.strictEqual(journal.entries.size, 0, "the failed snapshot is not adopted by the next run");
    });
  });
});
