import assert from "node:assert";
import { join } from "node:path";

import { MongoClient } from "mongodb";

import { startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, Stack } from "./harness";

/**
 * A clone checked under the real engine: examples/clone-environment restores production into staging
 * and checks it; staging is then written to (with the official driver, as a test suite would), and
 * the next restore brings production's data back. The check runs once per restore, fails `up` with a
 * line naming the collection and its counts, and is refused at preview when malformed.
 */

const seed = defaultSeed();
const [PRODUCTION, STAGING] = seed.projects.map((p) => p.id) as [string, string];
const account = seed.serviceAccounts[0]!;
const stagingUser = seed.databaseUsers!.find((u) => u.groupId === STAGING)!;
const EXAMPLE = join(REPO_ROOT, "examples", "clone-environment");

/** Production's counts, checked exactly. */
const EXACT = [
  { namespace: "orders.orders", documents: { exactly: 120_000 } },
  {
    namespace: "orders.customers",
    documents: { exactly: 5000 },
    query: { filter: { n: { $lte: 100 } }, atLeast: 100 },
  },
];

describe("end to end: a clone checked after its restore", function () {
  this.timeout(10 * 60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let home: E2eHome;
  let stack: Stack;
  let staging: MongoClient;

  const newStack = async (name: string, checks: unknown) => {
    const created = new Stack(name, EXAMPLE, home);
    await created.init(
      {
        productionGroupId: PRODUCTION,
        stagingGroupId: STAGING,
        refreshDate: "2026-11-28",
        checks: JSON.stringify(checks),
        "mongodbatlas:baseUrl": emulator.url,
        "mongodbatlas:clientId": account.clientId,
        "atlasRestore:databaseUsername": stagingUser.username,
      },
      {
        "mongodbatlas:clientSecret": account.clientSecret,
        "atlasRestore:databasePassword": stagingUser.password,
      },
    );
    return created;
  };
  const verification = async () => ((await stack.outputs()).verifications as unknown[])[0];
  const restoresStarted = async () =>
    (await admin.counters()).byOperation.createGroupClusterBackupRestoreJob ?? 0;
  const customers = () => staging.db("orders").collection("customers");

  before(async () => {
    emulator = await startEmulator({ snapshotDurationMs: 500, restoreDurationMs: 1000 });
    admin = new EmulatorAdmin(emulator.url);
    home = await e2eHome();
    const endpoint = emulator.wire.find((w) => w.groupId === STAGING && w.name === "staging-cluster")!;
    staging = new MongoClient(endpoint.connectionString, {
      auth: { username: stagingUser.username, password: stagingUser.password },
    });
    stack = await newStack("clone-checked", EXACT);
  });

  after(async () => {
    await staging?.close();
    await stack?.destroy();
    await stack?.remove();
    await emulator?.close();
    home?.dispose();
  });

  it("checks each restore once; what staging wrote since is gone after the next restore", async () => {
    const first = await stack.up();
    assert.match(
      first.stdout,
      /clone check passed, documents: orders\.orders 120000, orders\.customers 5000/,
    );
    assert.deepStrictEqual(await verification(), {
      ok: true,
      collections: [
        { namespace: "orders.orders", expected: "exactly 120000", found: 120_000, ok: true },
        { namespace: "orders.customers", expected: "exactly 5000", found: 5000, matching: 100, ok: true },
      ],
    });

    // Tests on staging write to it.
    await customers().deleteMany({ n: { $lte: 10 } });
    await customers().insertOne({ _id: "written-on-staging" as never, name: "test user" });
    assert.strictEqual(await customers().countDocuments(), 4991);

    // The same job and the same check: nothing connects (a check now would fail on 4991).
    const same = await stack.up();
    assert.doesNotMatch(same.stdout, /clone check/);
    assert.strictEqual(await restoresStarted(), 1);

    // A new refresh date: a new snapshot, a new restore, checked again; production's data is back.
    await stack.setConfig("refreshDate", "2026-11-29");
    const again = await stack.up();
    assert.match(again.stdout, /clone check passed/);
    assert.strictEqual(await restoresStarted(), 2);
    assert.strictEqual(((await verification()) as { ok: boolean }).ok, true);
    assert.strictEqual(await customers().countDocuments(), 5000);
    assert.strictEqual(await customers().countDocuments({ _id: "written-on-staging" as never }), 0);
    assert.strictEqual(await customers().countDocuments({ n: { $lte: 10 } }), 10);
  });

  it("a failed check fails up naming the collection and its counts; the corrected check passes, same restore", async () => {
    await stack.setConfig(
      "checks",
      JSON.stringify([{ namespace: "orders.orders", documents: { exactly: 1 } }]),
    );
    const failed = await stack.up([], true);
    assert.notStrictEqual(failed.code, 0);
    const text = failed.stdout + failed.stderr;
    assert.match(
      text,
      /clone check failed: orders\.orders: expected exactly 1 documents, found 120000; the restore is recorded in state; /,
    );
    assert.ok(!text.includes(stagingUser.password), "no database password in any message");
    // The restore is kept, its check failed in state, and nothing new started.
    const [record] = await stack.records();
    assert.strictEqual((record!.outputs.verification as { ok: boolean }).ok, false);
    assert.strictEqual(await restoresStarted(), 2);

    await stack.setConfig("checks", JSON.stringify(EXACT));
    const fixed = await stack.up();
    assert.match(fixed.stdout, /clone check passed/);
    assert.strictEqual(((await verification()) as { ok: boolean }).ok, true);
    assert.strictEqual(await restoresStarted(), 2, "a changed check is an update, never a new restore");
    const state = await stack.exportText();
    assert.ok(!state.includes(stagingUser.password), "no database password in state");
  });

  it("preview refuses a malformed check, naming each property, with no request sent", async () => {
    const bad = await newStack("clone-check-bad", [
      { namespace: "nodot", documents: { exactly: -1 } },
      { namespace: "orders.orders", query: { filter: { n: { $frobnicate: 1 } } } },
    ]);
    const before = await admin.atlasRequests();
    const preview = await bad.preview([], true);
    assert.notStrictEqual(preview.code, 0);
    const text = preview.stdout + preview.stderr;
    assert.match(text, /verify\.collections\[0\]\.namespace: expected namespace <database>\.<collection>/);
    assert.match(text, /verify\.collections\[0\]\.documents\.exactly: expected integer of documents from 0/);
    assert.match(text, /verify\.collections\[1\]\.query\.filter\.n\.\$frobnicate: unknown operator/);
    assert.strictEqual(await admin.atlasRequests(), before);
    await bad.remove();
  });
});
