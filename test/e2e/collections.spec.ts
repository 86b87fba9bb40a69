import assert from "node:assert";
import { join } from "node:path";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, Stack } from "./harness";

/** Collection-level restores under the real engine against the emulator: the example, and preview's checks. */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
/** The staging project's database user, which the example checks its copies as. */
const stagingUser = seed.databaseUsers!.find((u) => u.groupId === STAGING)!;
const EXAMPLE = join(REPO_ROOT, "examples", "clone-collections");

describe("end to end: collection restores", function () {
  this.timeout(10 * 60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;

  const stackOf = async (name: string, config: Record<string, string>) => {
    await admin.reset();
    const stack = new Stack(name, EXAMPLE, home);
    await stack.init(
      {
        productionGroupId: PRODUCTION,
        stagingGroupId: STAGING,
        ...config,
        "mongodbatlas:baseUrl": emulator.url,
        "mongodbatlas:clientId": account.clientId,
      },
      {
        "mongodbatlas:clientSecret": account.clientSecret,
        "atlasRestore:databaseUsername": stagingUser.username,
        "atlasRestore:databasePassword": stagingUser.password,
      },
    );
    return stack;
  };

  before(async () => {
    emulator = await startEmulator({ restoreDurationMs: 1000 });
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
  });

  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("clone-collections: two collections of production into staging under new names, once", async () => {
    const stack = await stackOf("clone-collections", { refreshDate: "2026-11-28" });
    const up = await stack.up();
    const outputs = await stack.outputs();
    assert.strictEqual(outputs.status, "COMPLETED");
    assert.strictEqual(outputs.state, "SUCCESSFUL");
    assert.strictEqual(outputs.documents, "125000 of 125000");
    assert.deepStrictEqual(outputs.collections, [
      "orders.orders -> orders_staging.orders: SUCCESSFUL",
      "orders.customers -> orders_staging.customers: SUCCESSFUL",
    ]);
    // Checked against the source's documents as Atlas counted them.
    assert.deepStrictEqual(outputs.verified, [
      "orders_staging.orders: 120000 documents, as the source: 120000",
      "orders_staging.customers: 5000 documents, as the source: 5000",
    ]);
    assert.match(up.stdout, /collection restore job [a-f0-9]{24}: \w+, \d+ of 125000 documents \(\d+%\)/);
    // The same date again: no other restore.
    await stack.up();
    assert.strictEqual((await admin.counters()).byOperation.createGroupClusterCollectionRestoreJob, 1);
    const destroy = await stack.destroy();
    assert.match(destroy.stdout, /collection restore job forgotten; Atlas keeps its record/);
    assert.deepStrictEqual(await stack.restoreJobs(), []);
    await stack.remove();
  });

  it("a partial success fails up naming the collection, records the job, and allowPartial accepts it", async () => {
    const stack = await stackOf("clone-collections-partial", {});
    const forced = await fetch(
      `${emulator.url}/__emulator/collection-outcomes/${PRODUCTION}/prod-cluster/orders.customers`,
      { method: "PUT", body: JSON.stringify({ outcome: "INDEX_BUILD_FAILED" }) },
    );
    assert.strictEqual(forced.status, 200);
    const failed = await stack.up([], true);
    assert.notStrictEqual(failed.code, 0);
    assert.match(failed.stdout + failed.stderr, /not restored: orders\.customers \(INDEX_BUILD_FAILED\)/);
    const [recorded] = await stack.restoreJobs();
    assert.ok(recorded, "the job is recorded in state");
    await stack.setConfig("allowPartial", "true");
    await stack.up();
    const outputs = await stack.outputs();
    assert.strictEqual(outputs.status, "COMPLETED");
    assert.deepStrictEqual(outputs.unrestored, ["orders.customers (INDEX_BUILD_FAILED)"]);
    assert.strictEqual((await admin.counters()).byOperation.createGroupClusterCollectionRestoreJob, 1);
    await stack.destroy();
    await stack.remove();
  });

  it("preview refuses a malformed target cluster name, naming the property, with no request sent", async () => {
    const stack = await stackOf("clone-collections-bad", { stagingCluster: "staging cluster" });
    const before = await admin.atlasRequests();
    const preview = await stack.preview([], true);
    assert.notStrictEqual(preview.code, 0);
    const text = preview.stdout + preview.stderr;
    assert.match(text, /targetClusterName: expected name of letters, digits and hyphens/);
    assert.strictEqual(await admin.atlasRequests(), before);
    await stack.remove();
  });
});
