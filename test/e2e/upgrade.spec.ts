import assert from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";

import { type RunningEmulator, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/pulumi-cli";
import { EmulatorAdmin } from "./emulator-admin";
import { type E2eHome, e2eHome, fixtureStack, PROGRAM_DIR, Stack } from "./harness";
import { TRIAL_KINDS } from "./kill-trial";

/**
 * A stack written by version 0.1 (one `pulumi-nodejs:dynamic/mongodbatlas:ServerlessRestoreJob` at
 * the root) upgrades to the component without a new restore: the starter's alias is that resource.
 */

const V01_COMMIT = "8bdd2cd";
const automated = TRIAL_KINDS.serverless.args;

/** Builds 0.1's provider from git into the e2e folder, once. */
function buildV01(dir: string): string {
  const source = join(dir, "v0.1");
  const dist = join(source, "dist");
  if (existsSync(join(dist, "provider", "runtime.js"))) return dist;
  mkdirSync(source, { recursive: true });
  execFileSync("sh", [
    "-c",
    `git -C "${REPO_ROOT}" archive ${V01_COMMIT} provider emulator tsconfig.json tsconfig.build.json | tar -x -C "${source}"`,
  ]);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(source, "node_modules"));
  execFileSync(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], {
    cwd: source,
  });
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
    const dist = buildV01(home.stateDir);
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
    assert.match(again.stdout, /Resources:\n\s+2 unchanged\n/);
    await upgraded.destroy();
    assert.strictEqual(await admin.jobsCreated(), 1);
    await upgraded.remove();
  });
});
