import assert from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { type RunningEmulator, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, PROGRAM_DIR, Stack } from "./harness";
import { TRIAL_KINDS } from "./kill-trial";

/**
 * Stacks written by earlier code upgrade without a new restore: version 0.1 (one
 * `pulumi-nodejs:dynamic/mongodbatlas:ServerlessRestoreJob` at the root), the code before the
 * restore's record (the job's resource alone, commit 3756d55), and a collection restore whose program
 * listed its collections (commit 9afb8e4: its record's input held them). The job keeps its URN and id; the
 * record is created from what the wait reads of that job.
 */

const V01_COMMIT = "8bdd2cd";
const BEFORE_RECORD_COMMIT = "3756d55";
/** The last commit whose program listed a collection restore's collections on every read. */
const PROGRAM_LISTED_COMMIT = "9afb8e4";
const automated = TRIAL_KINDS.serverless.args;

/** The build's provider loads its own implementation by path, as a user's installed copy would. */
function byPath(built: string): void {
  const file = join(built, "provider", "pulumi", "restore-job-provider.js");
  const text = readFileSync(file, "utf8");
  const rewritten = text.replace(
    '"pulumi-atlas-restore/dist/provider/pulumi/provider-process"',
    JSON.stringify(join(built, "provider", "pulumi", "provider-process")),
  );
  assert.notStrictEqual(rewritten, text, "the build names its implementation by package");
  writeFileSync(file, rewritten);
}

/** Builds a commit's provider from git into the e2e folder, once; `patch` may edit the build. */
function buildAt(dir: string, commit: string, patch: (dist: string) => void = () => undefined): string {
  const source = join(dir, commit);
  const dist = join(source, "dist");
  if (existsSync(join(dist, "provider", "index.js"))) return dist;
  mkdirSync(source, { recursive: true });
  execFileSync("sh", [
    "-c",
    `git -C "${REPO_ROOT}" archive ${commit} provider emulator tsconfig.json tsconfig.build.json | tar -x -C "${source}"`,
  ]);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(source, "node_modules"));
  execFileSync(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], {
    cwd: source,
  });
  patch(dist);
  return dist;
}

describe("end to end: upgrading a stack written by 0.1", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let admin: EmulatorAdmin;
  let home: E2eHome;

  before(async () => {
    home = await e2eHome();
    emulator = await startEmulator({ sunset: "off", restoreDurationMs: 1500 });
    admin = new EmulatorAdmin(emulator.url);
  });
  after(async () => {
    await emulator?.close();
    home?.dispose();
  });

  it("up with the new code starts no job, keeps the job id and completes", async () => {
    const dist = buildAt(home.stateDir, V01_COMMIT);
    const old = await fixtureStack("upgrade", home, emulator.url, automated);
    const v01 = new Stack(old.name, join(REPO_ROOT, "test", "e2e", "program-0.1"), home);
    await v01.setConfig("oldDist", dist);
    await v01.up();
    const [written] = (await v01.resources()).filter((r) => r.type.includes("RestoreJob"));
    assert.strictEqual(written!.type, "pulumi-nodejs:dynamic/mongodbatlas:ServerlessRestoreJob");
    assert.strictEqual(written!.outputs.status, "COMPLETED");
    assert.strictEqual(await admin.jobsCreated(), 1);

    const upgraded = new Stack(old.name, PROGRAM_DIR, home);
    const result = await upgraded.up();
    assert.strictEqual(await admin.jobsCreated(), 1, "the upgrade started no restore");
    assert.doesNotMatch(result.stdout, /restore job started/);
    // 0.1's resource, where 0.1 wrote it: the same URN, the same job.
    const [recorded] = await upgraded.restoreJobs();
    assert.strictEqual(recorded!.urn, written!.urn);
    assert.strictEqual(recorded!.id, written!.id);
    assert.strictEqual((await upgraded.outputs()).status, "COMPLETED");

    const again = await upgraded.up();
    assert.match(again.stdout, /Resources:\n\s+3 unchanged\n/);
    await upgraded.destroy();
    assert.strictEqual(await admin.jobsCreated(), 1);
    await upgraded.remove();
  });

  it("a stack written before the record: up starts no job, keeps the job's URN and id, creates the record", async () => {
    const dist = buildAt(home.stateDir, BEFORE_RECORD_COMMIT, byPath);
    await admin.reset();
    const args = TRIAL_KINDS.cluster.args;
    const old = await fixtureStack("upgrade-record", home, emulator.url, args, "cluster");
    const before = new Stack(old.name, join(REPO_ROOT, "test", "e2e", "program-main"), home);
    await before.setConfig("oldDist", dist);
    await before.up();
    const [written] = await before.resources().then((all) => all.filter((r) => r.type.includes("Restore")));
    assert.strictEqual(written!.type, "pulumi-nodejs:dynamic/mongodbatlas:ClusterRestoreJob");
    assert.strictEqual((await before.outputs()).status, "COMPLETED");
    assert.strictEqual(await admin.jobsCreated(), 1);

    const upgraded = new Stack(old.name, PROGRAM_DIR, home);
    const preview = await upgraded.preview();
    assert.match(preview.stdout, /\+ pulumi-nodejs:dynamic\/mongodbatlas:ClusterRestore: \(create\)/);
    assert.doesNotMatch(preview.stdout, /ClusterRestoreJob: \((create|replace)\)/);
    const result = await upgraded.up();
    assert.strictEqual(await admin.jobsCreated(), 1, "the upgrade started no restore");
    assert.doesNotMatch(result.stdout, /restore job started/);
    const [job] = await upgraded.restoreJobs();
    assert.deepStrictEqual([job!.urn, job!.id], [written!.urn, written!.id]);
    const [record] = await upgraded.records();
    assert.deepStrictEqual([record!.id, record!.outputs.status], [written!.id, "COMPLETED"]);

    await upgraded.run(["preview", "--expect-no-changes", "--config-file", upgraded.configFile]);
    await upgraded.destroy();
    assert.strictEqual(await admin.jobsCreated(), 1);
    await upgraded.remove();
  });
  it("a collection restore whose record holds its collections: no listing after the upgrade, and unchanged", async () => {
    const dist = buildAt(home.stateDir, PROGRAM_LISTED_COMMIT, byPath);
    await admin.reset();
    const old = await fixtureStack(
      "upgrade-collection",
      home,
      emulator.url,
      TRIAL_KINDS.collection.args,
      "collection",
    );
    const before = new Stack(old.name, join(REPO_ROOT, "test", "e2e", "program-collection-main"), home);
    await before.setConfig("oldDist", dist);
    await before.up();
    const [written] = await before.records();
    assert.ok(Array.isArray(written!.outputs.collectionStates), "the old program's record holds them");

    const upgraded = new Stack(old.name, PROGRAM_DIR, home);
    const collections = async (step: () => Promise<unknown>) => {
      const before = (await admin.counters()).byOperation;
      await step();
      const after = (await admin.counters()).byOperation;
      return Object.fromEntries(
        Object.entries(after)
          .filter(([operation]) => /CollectionRestore/.test(operation))
          .map(([operation, n]) => [operation, n - (before[operation] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
    };
    const read = { getGroupClusterCollectionRestoreJob: 1 };
    // The record's provider code is another build's (a path, here): an update, with no listing.
    assert.deepStrictEqual(await collections(() => upgraded.up()), read);
    const [record] = await upgraded.records();
    assert.deepStrictEqual(record!.outputs.collectionStates, written!.outputs.collectionStates);
    assert.strictEqual(record!.outputs.partial, false);
    assert.deepStrictEqual(
      await collections(() =>
        upgraded.run(["preview", "--expect-no-changes", "--config-file", upgraded.configFile]),
      ),
      read,
    );
    const again = await upgraded.up();
    assert.match(again.stdout, /Resources:\n\s+3 unchanged\n/);
    await upgraded.destroy();
    assert.strictEqual((await admin.counters()).byOperation.createGroupClusterCollectionRestoreJob, 1);
    await upgraded.remove();
  });
});
