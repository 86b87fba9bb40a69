import assert from "node:assert";

import { defaultSeed, type RunningEmulator, type Seed, startEmulator } from "../../emulator";
import { collectionSpec } from "../../provider/kinds/collection/spec";
import { serverlessSpec } from "../../provider/kinds/serverless/spec";
import { createLifecycles } from "../../provider/restore/lifecycle";
import type { Lifecycle, RestoreJobSpec, Session } from "../../provider/restore/types";
import { systemClock } from "../../provider/waiting/clock";
import { contractCheckedSession } from "../helpers/contract-adapter";

/**
 * Many restores of one source started at once in one provider process, over real HTTP against the
 * emulator, every answer checked against the OpenAPI subsets: they share one listing of the source's
 * jobs and one of its snapshots, and collection restores of one cluster take turns without a refused POST. Only counts and
 * the emulator's own record are asserted, never times, so the machine's load cannot change them.
 */

const STARTS = 20;

function seedWithTargets(): Seed {
  const seed = defaultSeed();
  const groupId = seed.projects[0]!.id;
  for (let i = 1; i <= STARTS; i++) {
    seed.serverlessInstances.push({
      id: `6650a1b2c3d4e5f6a7b8${(0xd000 + i).toString(16)}`,
      groupId,
      name: `shared-target-${String(i).padStart(2, "0")}`,
      snapshots: [],
    });
  }
  return seed;
}

describe("integration: restores of one source started together", function () {
  this.timeout(60_000);
  const seed = seedWithTargets();
  const groupId = seed.projects[0]!.id;
  let emulator: RunningEmulator;
  let session: Session;
  const operations: string[] = [];

  beforeEach(async () => {
    emulator = await startEmulator({ seed, restoreDurationMs: 300, sunset: "off" });
    operations.length = 0;
    session = contractCheckedSession(emulator.url, operations, { info: () => {}, warn: () => {} }, {});
  });
  afterEach(() => emulator.close());

  const starter = <I extends { waitForCompletion: boolean; waitTimeoutSeconds: number }>(
    spec: RestoreJobSpec<I>,
  ): Lifecycle => createLifecycles(spec, () => session, systemClock).start;

  /** Checks and starts every raw input at once, as the engine does at a high parallelism. */
  const startAll = async (start: Lifecycle, raws: Record<string, unknown>[]) => {
    const inputs = await Promise.all(
      raws.map(async (raw) => (await start.check({}, { ...raw, __provider: "provider" })).inputs!),
    );
    return Promise.all(inputs.map((i) => start.create(i)));
  };

  const requests = async () =>
    (
      (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
        requests: { method: string; status: unknown; operationId?: string }[];
      }
    ).requests;

  it(`${STARTS} restores of one serverless instance list its jobs and its snapshots once between them`, async () => {
    const started = await startAll(
      starter(serverlessSpec),
      Array.from({ length: STARTS }, (_, i) => ({
        groupId,
        clusterName: "prod-orders",
        deliveryType: "automated",
        targetClusterName: `shared-target-${String(i + 1).padStart(2, "0")}`,
      })),
    );
    assert.strictEqual(new Set(started.map((s) => s.id)).size, STARTS);
    assert.strictEqual(
      operations.filter((o) => o === "createGroupServerlessBackupRestoreJob").length,
      STARTS,
    );
    assert.strictEqual(operations.filter((o) => o === "listGroupServerlessBackupRestoreJobs").length, 1);
    assert.strictEqual(operations.filter((o) => o === "listGroupServerlessBackupSnapshots").length, 1);
  });

  it("collection restores of one cluster take turns: one snapshot listing, every POST accepted, each after the one before ended", async () => {
    const restores = 4;
    await startAll(
      starter(collectionSpec),
      Array.from({ length: restores }, (_, i) => ({
        groupId,
        clusterName: "prod-cluster",
        targetClusterName: "prod-cluster",
        collections: [{ sourceNamespace: "inventory.items", targetNamespace: `turn_${i}.items` }],
      })),
    );
    const posts = (await requests()).filter(
      (r) => r.operationId === "createGroupClusterCollectionRestoreJob",
    );
    assert.deepStrictEqual(
      posts.map((r) => r.status),
      Array.from({ length: restores }, () => 201),
      "no POST refused with 409",
    );
    assert.strictEqual(operations.filter((o) => o === "listGroupClusterBackupSnapshots").length, 1);
    const { jobs } = (await (await fetch(`${emulator.url}/__emulator/collection-jobs`)).json()) as {
      jobs: { createdAt: number; durationMs: number }[];
    };
    const ordered = jobs.sort((a, b) => a.createdAt - b.createdAt);
    assert.strictEqual(ordered.length, restores);
    ordered.slice(1).forEach((job, i) => {
      const before = ordered[i]!;
      assert.ok(
        job.createdAt >= before.createdAt + before.durationMs,
        `job ${i + 1} overlapped the one before`,
      );
    });
  });
});
