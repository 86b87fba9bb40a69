import assert from "node:assert";
import { join } from "node:path";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, Stack } from "./harness";

/** Every program in examples/ (and the root quickstart) runs under the real engine against the emulator. */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
/** The staging project's database user, which the cloning examples check their clone as. */
const stagingUser = seed.databaseUsers!.find((u) => u.groupId === STAGING)!;
const STAGING_DATABASE_USER = {
  "atlasRestore:databaseUsername": stagingUser.username,
  "atlasRestore:databasePassword": stagingUser.password,
};

describe("end to end: every example runs", function () {
  this.timeout(10 * 60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;

  /** Runs a program from create to destroy and hands its outputs and state to `check` in between. */
  async function runExample(
    name: string,
    projectDir: string,
    config: Record<string, string>,
    check: (outputs: Record<string, unknown>, stack: Stack, upOutput: string) => Promise<void>,
    emulatorOptions?: Record<string, unknown>,
    secrets: Record<string, string> = {},
  ): Promise<void> {
    await admin.reset();
    if (emulatorOptions) await admin.setOptions(emulatorOptions);
    const stack = new Stack(name, projectDir, home);
    await stack.init(
      { ...config, "mongodbatlas:baseUrl": emulator.url, "mongodbatlas:clientId": account.clientId },
      { "mongodbatlas:clientSecret": account.clientSecret, ...secrets },
    );
    const up = await stack.up();
    await check(await stack.outputs(), stack, up.stdout);
    await stack.destroy();
    assert.deepStrictEqual(await stack.restoreJobs(), []);
    await stack.remove();
  }

  before(async () => {
    // The emulator's default, as the README runs the examples: Atlas as today, after the serverless sunset.
    emulator = await startEmulator();
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("quickstart (the root Pulumi.yaml)", () =>
    runExample("quickstart", REPO_ROOT, { groupId: PRODUCTION }, async (outputs) => {
      assert.strictEqual(outputs.status, "COMPLETED");
      assert.match(String(outputs.restoreJobId), /^[a-f0-9]{24}$/);
      assert.ok(outputs.finishedAt);
    }));

  it("clone-environment: dedicated production cloned as it is now into staging, from one fresh snapshot", () =>
    runExample(
      "clone",
      join(REPO_ROOT, "examples", "clone-environment"),
      { productionGroupId: PRODUCTION, stagingGroupId: STAGING, refreshDate: "2026-11-28" },
      async (outputs, stack, up) => {
        assert.deepStrictEqual(outputs.statuses, ["COMPLETED"]);
        assert.deepStrictEqual(outputs.snapshotSources, ["new"]);
        assert.deepStrictEqual(outputs.targetsReady, [true]);
        const staging = await admin.cluster(STAGING, "staging-cluster", "cluster");
        assert.strictEqual(staging.restoredSnapshotId, (outputs.snapshotIds as string[])[0]);
        // Production's documents, read in staging.
        assert.deepStrictEqual(outputs.verifications, [
          {
            ok: true,
            collections: [
              { namespace: "orders.orders", expected: "at least 1", found: 120_000, ok: true },
              { namespace: "orders.customers", expected: "at least 1", found: 5000, ok: true },
              { namespace: "inventory.items", found: 800, matching: 800, ok: true },
            ],
          },
        ]);
        assert.match(up, /clone-prod-cluster: clone check passed, documents: orders\.orders 120000, /);
        // The same date again: no other snapshot, no other restore, no other check.
        const again = await stack.up();
        assert.doesNotMatch(again.stdout, /clone check passed/);
        const { byOperation } = await admin.counters();
        assert.strictEqual(byOperation.takeGroupClusterBackupSnapshots, 1);
        assert.strictEqual(byOperation.createGroupClusterBackupRestoreJob, 1);
      },
      { snapshotDurationMs: 500 },
      STAGING_DATABASE_USER,
    ));

  it("cluster-point-in-time", () =>
    runExample(
      "cluster-pit",
      join(REPO_ROOT, "examples", "cluster-point-in-time"),
      // An hour ago: inside the emulator's 7-day restore window for dedicated clusters.
      {
        groupId: PRODUCTION,
        targetGroupId: STAGING,
        targetCluster: "staging-cluster",
        pointInTimeUTCSeconds: String(Math.floor(Date.now() / 1000) - 3600),
      },
      async (outputs) => {
        assert.strictEqual(outputs.status, "COMPLETED");
        assert.strictEqual(outputs.targetReady, true);
        const staging = await admin.cluster(STAGING, "staging-cluster", "cluster");
        assert.strictEqual(staging.restoredFromJobId, outputs.restoreJobId);
      },
    ));

  it("clone-serverless-environment before the sunset (--sunset off)", () =>
    runExample(
      "clone-serverless",
      join(REPO_ROOT, "examples", "clone-serverless-environment"),
      { productionGroupId: PRODUCTION, stagingGroupId: STAGING, refreshDate: "2026-11-28" },
      async (outputs) => {
        assert.deepStrictEqual(outputs.statuses, ["COMPLETED"]);
        const staging = await admin.cluster(STAGING, "staging-orders");
        assert.strictEqual(staging.restoredSnapshotId, (outputs.snapshotIds as string[])[0]);
        // Read through the Flex cluster the instance became: the serverless API answers only SRV.
        assert.deepStrictEqual(outputs.verifications, [
          {
            ok: true,
            collections: [
              { namespace: "orders.orders", expected: "at least 1", found: 2000, ok: true },
              { namespace: "orders.customers", found: 3, matching: 3, ok: true },
            ],
          },
        ]);
      },
      { sunset: "off" },
      STAGING_DATABASE_USER,
    ));

  it("clone-serverless-environment on Atlas as today (after the sunset): the look-up and the restore go through Flex", () =>
    runExample(
      "clone-serverless-today",
      join(REPO_ROOT, "examples", "clone-serverless-environment"),
      { productionGroupId: PRODUCTION, stagingGroupId: STAGING, refreshDate: "2026-11-28" },
      async (outputs, _stack, up) => {
        assert.deepStrictEqual(outputs.statuses, ["COMPLETED"]);
        assert.doesNotMatch(up, /error serializing property/);
        assert.match(up, /reading the snapshots of the Flex cluster it became instead: prod-orders/);
        const staging = await admin.cluster(STAGING, "staging-orders", "flex");
        assert.strictEqual(staging.restoredSnapshotId, (outputs.snapshotIds as string[])[0]);
        assert.strictEqual((outputs.verifications as { ok: boolean }[])[0]?.ok, true);
      },
      { sunset: "migrated" },
      STAGING_DATABASE_USER,
    ));

  it("download: the links are secrets in outputs and kept out of state", () =>
    runExample(
      "download",
      join(REPO_ROOT, "examples", "download"),
      { groupId: PRODUCTION },
      async (outputs, stack) => {
        assert.strictEqual(outputs.status, "COMPLETED");
        assert.strictEqual(outputs.deliveryUrl, "[secret]");
        // The stack output is the program's to keep: the example exports the links, as a secret.
        const state = await stack.exportText();
        const [job] = await stack.restoreJobs();
        assert.ok(job, "the job is recorded");
        assert.strictEqual(job.outputs.deliveryUrl, undefined, "the resource keeps no download link");
        // (The stack's name is `download` too, so a plain "/download/" is no URL.)
        assert.doesNotMatch(state, /:\/\/[^"\s]*\/download\//, "no plain download URL in state");
      },
    ));

  it("point-in-time on Atlas as today: refused before anything starts, saying why", async () => {
    await admin.reset();
    await admin.setOptions({ sunset: "migrated" });
    const stack = new Stack("pit-today", join(REPO_ROOT, "examples", "point-in-time"), home);
    await stack.init(
      {
        groupId: PRODUCTION,
        pointInTimeUTCSeconds: String(Math.floor(Date.now() / 1000) - 3600),
        "mongodbatlas:baseUrl": emulator.url,
        "mongodbatlas:clientId": account.clientId,
      },
      { "mongodbatlas:clientSecret": account.clientSecret },
    );
    const up = await stack.up([], true);
    assert.notStrictEqual(up.code, 0);
    assert.match(up.stdout + up.stderr, /pointInTime restores have no Flex equivalent: prod-orders/);
    assert.strictEqual(await admin.jobsCreated(), 0);
    await stack.remove();
  });

  it("point-in-time (--sunset off)", () =>
    runExample(
      "pit",
      join(REPO_ROOT, "examples", "point-in-time"),
      // An hour ago: inside the emulator's serverless restore window, as a user would pick it.
      { groupId: PRODUCTION, pointInTimeUTCSeconds: String(Math.floor(Date.now() / 1000) - 3600) },
      async (outputs) => {
        assert.strictEqual(outputs.status, "COMPLETED");
      },
      { sunset: "off" },
    ));

  it("flex", () =>
    runExample("flex", join(REPO_ROOT, "examples", "flex"), { groupId: PRODUCTION }, async (outputs) => {
      assert.strictEqual(outputs.status, "COMPLETED");
      assert.strictEqual(outputs.atlasStatus, "COMPLETED");
      const target = await admin.cluster(PRODUCTION, "staging-orders", "flex");
      assert.strictEqual(target.kind, "flex");
      assert.strictEqual(target.restoredSnapshotId, outputs.snapshotId);
    }));

  for (const sunset of ["migrated", "gone"]) {
    it(`sunset-fallback (serverless API ${sunset})`, () =>
      runExample(
        `sunset-${sunset}`,
        join(REPO_ROOT, "examples", "sunset-fallback"),
        { groupId: PRODUCTION },
        async (outputs, _stack, up) => {
          assert.strictEqual(outputs.api, "flex");
          assert.strictEqual(outputs.status, "COMPLETED");
          assert.match(up, /restoring through the Flex API instead \(FlexRestoreJob is the migration path\)/);
          const { byOperation } = await admin.counters();
          assert.strictEqual(byOperation.createGroupFlexClusterBackupRestoreJob, 1);
        },
        { sunset },
      ));
  }
});
